/**
 * The edge cluster model's ONNX file on onnxruntime-web, inside a Worker — the measured alternative to the kernel path
 * (src/edge-model.ts), not what the worker runs: docs/edge-runtimes.md has the numbers (bundle 14.0 MiB raw / 3.6 MiB
 * gzip, over the free plan's 3 MB; ~100× the kernel path's cost per request) and the choice. An entry that wants it
 * imports this module and bundles `onnxruntime-web/ort-wasm-simd-threaded.wasm` (a wrangler CompiledWasm module).
 *
 * Workers refuse to compile WebAssembly from bytes, and onnxruntime-web exposes no Emscripten `instantiateWasm`.
 * It does pass `env.wasm.wasmBinary` on to Emscripten, which hands those bytes to `WebAssembly.instantiate`; so for the
 * one initialisation, that call is answered with the precompiled Module when it receives the placeholder buffer set
 * as `wasmBinary`, and restored afterwards. Single-threaded, no proxy worker, nothing located via `import.meta.url`.
 */
import * as ort from "onnxruntime-web/wasm";

/** An inference session of the edge model's ONNX file; `scores(sketch)` runs it on one sketch embedding. */
export interface OnnxEdgeSession {
  scores(sketch: Float32Array): Promise<Float32Array>;
}

// The backend initialises with the first session; later sessions reuse it. Shared so that concurrent first calls
// install (and restore) the hook once.
let backend: Promise<unknown> | null = null;

/** Create the first session with `WebAssembly.instantiate` answering the placeholder from the precompiled Module. */
async function initialiseWith(wasm: WebAssembly.Module, model: Uint8Array): Promise<ort.InferenceSession> {
  const placeholder = new ArrayBuffer(8);
  const instantiate = WebAssembly.instantiate;
  const fromModule = (source: unknown, imports?: WebAssembly.Imports) =>
    source === placeholder || (ArrayBuffer.isView(source) && source.buffer === placeholder)
      ? Promise.resolve({ module: wasm, instance: new WebAssembly.Instance(wasm, imports) })
      : (instantiate as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>).call(WebAssembly, source, imports);
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = placeholder;
  (WebAssembly as { instantiate: unknown }).instantiate = fromModule;
  try {
    return await ort.InferenceSession.create(model, { executionProviders: ["wasm"] });
  } finally {
    (WebAssembly as { instantiate: unknown }).instantiate = instantiate;
  }
}

/**
 * A session of the edge model's ONNX bytes (input `sketch` [N, d] f32, output `scores` [N, K]), on onnxruntime-web's
 * WASM backend started from `wasm`, the bundled `ort-wasm-simd-threaded.wasm` Module.
 */
export async function createOnnxEdgeSession(wasm: WebAssembly.Module, model: Uint8Array): Promise<OnnxEdgeSession> {
  let session: ort.InferenceSession;
  if (backend === null) {
    const first = initialiseWith(wasm, model);
    backend = first.catch(() => {
      backend = null; // a failed start may be retried by the next caller
    });
    session = await first;
  } else {
    await backend;
    session = await ort.InferenceSession.create(model, { executionProviders: ["wasm"] });
  }
  return {
    async scores(sketch: Float32Array): Promise<Float32Array> {
      const output = await session.run({ sketch: new ort.Tensor("float32", sketch, [1, sketch.length]) });
      return (output.scores as ort.Tensor).data as Float32Array;
    },
  };
}
