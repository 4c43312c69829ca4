import fc from "fast-check";
import { describe, expect, it } from "vitest";
import scalarModule from "../../kernels/build/compass.scalar.wasm";
import simdModule from "../../kernels/build/compass.simd.wasm";
import {
  METRIC_COSINE_NORMALISED,
  maxNgrams,
  ngramHashes,
  normalizeForSketch,
  reference,
  SKETCH_DIM,
  SKETCH_ORDERS,
  SKETCH_PROJECTIONS,
  SKETCH_SEED,
  SKETCH_VERSION,
  sketchEmbedReference,
  WasmKernels,
  WasmSketchEncoder,
} from "../../kernels/src";
import divergence from "../vectors/divergence.json";
import nearest from "../vectors/nearest.json";
import sketch from "../vectors/sketch.json";

const kernels = new WasmKernels(simdModule);
const encoder = new WasmSketchEncoder(kernels);

describe("shared test vectors (also asserted by the Python trainer)", () => {
  it("uses the spec's parameters", () => {
    expect({
      version: sketch.version,
      dim: sketch.dim,
      orders: sketch.orders,
      projections: sketch.projections,
      seed: sketch.seed,
    }).toEqual({
      version: SKETCH_VERSION,
      dim: SKETCH_DIM,
      orders: SKETCH_ORDERS,
      projections: SKETCH_PROJECTIONS,
      seed: SKETCH_SEED,
    });
  });

  it.each(sketch.cases.map((c) => [c.name, c] as const))(
    "sketch of %s: normalisation, hashes and embedding bit for bit",
    (_, c) => {
      const normalized = normalizeForSketch(c.text);
      expect(normalized).toBe(c.normalized);
      const hashes = new Uint32Array(maxNgrams(normalized));
      expect(ngramHashes(normalized, hashes)).toBe(c.ngrams);
      expect(Array.from(hashes.subarray(0, c.first_hashes.length))).toEqual(c.first_hashes);
      expect(Array.from(sketchEmbedReference(c.text))).toEqual(c.embedding);
      expect(Array.from(encoder.embed(c.text))).toEqual(c.embedding);
    },
  );

  it("nearest-centroid cases", () => {
    const centroids = new Float32Array(nearest.centroid_texts.length * SKETCH_DIM);
    for (const [i, t] of nearest.centroid_texts.entries()) centroids.set(sketchEmbedReference(t), i * SKETCH_DIM);
    const table = kernels.loadCentroids(centroids, nearest.centroid_texts.length, SKETCH_DIM);
    for (const c of nearest.cases) {
      const got = kernels.nearest(
        kernels.loadCentroids(sketchEmbedReference(c.query), 1, SKETCH_DIM).data,
        table,
        METRIC_COSINE_NORMALISED,
      );
      expect(got.index).toBe(c.index);
      expect(got.best).toBeCloseTo(c.best, 5);
      expect(got.second).toBeCloseTo(c.second, 5);
    }
  });

  it("divergence cases", () => {
    for (const c of divergence.cases) {
      const p = kernels.alloc(Float64Array, c.p.length);
      const q = kernels.alloc(Float64Array, c.q.length);
      p.view.set(c.p);
      q.view.set(c.q);
      if (c.js === null) {
        // An all-zero vector is no distribution: NaN everywhere (the trainer's js_divergence agrees).
        expect(kernels.jsDivergence(p, q)).toBeNaN();
        expect(reference.jsDivergence(Float64Array.from(c.p), Float64Array.from(c.q))).toBeNaN();
        expect(kernels.klDivergence(p, q)).toBeNaN();
        continue;
      }
      // The SIMD build's f32 JS stays within 7.1e-7 (bound derived in kernels/assembly/divergence.ts); the reference
      // is exact.
      expect(Math.abs(kernels.jsDivergence(p, q) - c.js)).toBeLessThanOrEqual(7.1e-7);
      expect(reference.jsDivergence(Float64Array.from(c.p), Float64Array.from(c.q))).toBeCloseTo(c.js, 12);
      if (c.kl === null) expect(kernels.klDivergence(p, q)).toBe(Number.POSITIVE_INFINITY);
      else expect(Math.abs(kernels.klDivergence(p, q) - c.kl)).toBeLessThanOrEqual(1e-7 * Math.max(1, c.kl));
    }
  });

  it.each([
    ["SIMD", encoder],
    ["scalar", new WasmSketchEncoder(new WasmKernels(scalarModule))],
  ] as const)("WASM n-gram hashing (%s build) is bit-identical to the reference on arbitrary text", (_, wasm) => {
    // Any UTF-16 (lone surrogates included), mixed scripts, whitespace runs, and text past the 4096-code-point cut.
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.string({ unit: "grapheme", maxLength: 120 }),
      fc.string({
        unit: fc.constantFrom("a", "Ä", " ", "\t", "ß", "İ", "ﬁ", "😀", "\u0301", "ع", "中"),
        maxLength: 5000,
      }),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(Array.from(wasm.embed(t))).toEqual(Array.from(sketchEmbedReference(t)));
      }),
      { numRuns: 150 },
    );
  });

  it("cuts normalised text at 4096 code points", () => {
    const long = "😀".repeat(5000);
    expect(Array.from(normalizeForSketch(long)).length).toBe(4096);
    expect(Array.from(encoder.embed(long))).toEqual(Array.from(sketchEmbedReference(long)));
  });
});
