import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import { describe, expect, it } from "vitest";
import { parseClusterModel } from "../../adapters/cluster-model";
import { WasmSketchEncoder } from "../../kernels/src";
import { EdgeScorer } from "../../src/edge-model";
import { createOnnxEdgeSession } from "../../src/edge-onnx";
import { kernels } from "../../src/kernels";
import vectors from "../vectors/edge-model.json";
import onnxBytes from "../vectors/edge-model.onnx";

// The trainer's ONNX export of the shared edge model (test/vectors/edge-model.onnx), run by onnxruntime-web in workerd
// from the precompiled WASM Module. The stored scores are what Python's onnxruntime gives within 1e-4
// (trainer/tests/test_edge_model.py), so matching them is parity with Python onnxruntime.
const model = parseClusterModel(vectors.model);

describe("onnxruntime-web in workerd", () => {
  it("starts from the bundled Module and matches Python onnxruntime and the kernel path on every held-out row", async () => {
    const session = await createOnnxEdgeSession(ortWasm, new Uint8Array(onnxBytes));
    const encoder = new WasmSketchEncoder(kernels);
    const scorer = new EdgeScorer(kernels, model.edge as NonNullable<typeof model.edge>);
    let worstPython = 0;
    let worstKernels = 0;
    for (const row of vectors.held_out) {
      const sketch = Float32Array.from(encoder.embed(row.text));
      const scores = await session.scores(sketch);
      const viaKernels = scorer.scores(encoder.embedding);
      for (let i = 0; i < scores.length; i++) {
        worstPython = Math.max(worstPython, Math.abs((scores[i] as number) - (row.scores[i] as number)));
        worstKernels = Math.max(worstKernels, Math.abs((scores[i] as number) - (viaKernels[i] as number)));
      }
    }
    expect(worstPython).toBeLessThan(1e-4);
    expect(worstKernels).toBeLessThan(1e-4);
  });

  it("leaves WebAssembly.instantiate as it found it", () => {
    expect(WebAssembly.instantiate.name).toBe("instantiate");
  });
});
