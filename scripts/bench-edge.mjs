// npm run bench:edge — the edge cluster model's two runtimes side by side: the kernel path (src/edge-model.ts: one
// dot_f32_rowmajor per layer in the SIMD kernels) and onnxruntime-web (src/edge-onnx.ts' runtime, WASM backend, one
// thread) on the shared edge model (test/vectors/edge-model.{json,onnx}): µs per request (the sketch embedding is
// timed once and shown apart, since both need it), and what each adds to the worker's bundle, raw and gzip, against the
// Workers plans' compressed-size limits. CPU timings run in Node (workerd's clock only advances on I/O in production).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { importTs, root } from "./import-ts.mjs";
import { micros } from "./micros.mjs";

const k = await importTs(`export * from "./kernels/src/index.ts"; export { EdgeScorer } from "./src/edge-model.ts";`);
const vectors = JSON.parse(readFileSync(join(root, "test/vectors/edge-model.json"), "utf8"));
const onnx = readFileSync(join(root, "test/vectors/edge-model.onnx"));
const require = createRequire(join(root, "package.json"));
const ortWasmPath = require.resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm");

async function microsAsync(fn, rounds = 7, calls = 300) {
  for (let i = 0; i < 50; i++) await fn();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    best = Math.min(best, ((performance.now() - start) * 1000) / calls);
  }
  return best;
}

const kernels = new k.WasmKernels(new WebAssembly.Module(readFileSync(join(root, "kernels/build/compass.simd.wasm"))));
const encoder = new k.WasmSketchEncoder(kernels);
const scorer = new k.EdgeScorer(kernels, vectors.model.edge);
const text = vectors.held_out[0].text;
encoder.embed(text);
const sketch = Float32Array.from(encoder.embedding.view);
const into = { cluster: -1, margin: 0 };

const ort = await import("onnxruntime-web/wasm");
ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmBinary = readFileSync(ortWasmPath);
const session = await ort.InferenceSession.create(onnx, { executionProviders: ["wasm"] });
const tensor = new ort.Tensor("float32", sketch, [1, sketch.length]);

const layers = vectors.model.edge.layers.map((l) => `${l.weights.length}×${l.weights[0].length}`).join(" → ");
console.log(`edge model: ${vectors.model.edge.kind}, layers ${layers}; µs per request (best of 7 rounds)\n`);
const embed = micros(() => encoder.embed(text), 60);
const viaKernels = micros(() => scorer.assign(encoder.embedding, into), 60);
const viaOrt = await microsAsync(() => session.run({ sketch: tensor }));
console.log(`  sketch embedding (both paths)      ${embed.toFixed(2).padStart(8)} µs`);
console.log(`  kernel path (dot per layer, argmax) ${viaKernels.toFixed(2).padStart(7)} µs`);
console.log(
  `  onnxruntime-web session.run        ${viaOrt.toFixed(2).padStart(8)} µs   (${(viaOrt / viaKernels).toFixed(0)}× the kernel path)`,
);

const size = (bytes) => ({ raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
const mib = (n) => `${(n / 1048576).toFixed(2)} MiB`;
const row = (name, s) => console.log(`  ${name.padEnd(46)} ${mib(s.raw).padStart(10)} ${mib(s.gzip).padStart(10)}`);
console.log("\nbundle (what each adds to the upload)                    raw       gzip");
// The worker as wrangler would upload it (dry run, offline).
const out = mkdtempSync(join(tmpdir(), "compass-bundle-"));
execFileSync(join(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", out], {
  cwd: root,
  stdio: "pipe",
});
const worker = Buffer.concat(
  readdirSync(out)
    .filter((f) => !f.endsWith(".map") && !f.endsWith(".md") && statSync(join(out, f)).isFile())
    .map((f) => readFileSync(join(out, f))),
);
const workerSize = size(worker);
row("worker as deployed (kernel path)", workerSize);
const ortWasm = size(readFileSync(ortWasmPath));
const ortJs = size(readFileSync(join(ortWasmPath, "../ort.wasm.bundle.min.mjs")));
row("+ onnxruntime-web ort-wasm-simd-threaded.wasm", ortWasm);
row("+ onnxruntime-web ort.wasm.bundle.min.mjs", ortJs);
const total = { raw: workerSize.raw + ortWasm.raw + ortJs.raw, gzip: workerSize.gzip + ortWasm.gzip + ortJs.gzip };
row("= worker with onnxruntime-web", total);
console.log(
  `\nlimits (compressed): free 3 MB, paid 10 MB. With onnxruntime-web: ${total.gzip <= 3e6 ? "fits" : "over"} free, ${total.gzip <= 10e6 ? "fits" : "over"} paid.`,
);
