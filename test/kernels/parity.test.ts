import fc from "fast-check";
import { describe, expect, it } from "vitest";
import scalarModule from "../../kernels/build/compass.scalar.wasm";
import simdModule from "../../kernels/build/compass.simd.wasm";
import { METRIC_COSINE_NORMALISED, METRIC_L2SQ, reference, WasmKernels } from "../../kernels/src";

// Both builds are held to the TypeScript reference. Shapes are drawn so that d is often not a multiple of 4 or 16
// (exercising the SIMD tails) and K = 1 occurs.
const builds = [
  ["simd", new WasmKernels(simdModule)],
  ["scalar", new WasmKernels(scalarModule)],
] as const;

const shape = fc.record({ k: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 70 }) });
const floats = (n: number) =>
  fc.float32Array({ minLength: n, maxLength: n, noNaN: true, noDefaultInfinity: true, min: -100, max: 100 });
const withData = shape.chain(({ k, d }) => fc.tuple(fc.constant(k), fc.constant(d), floats(d), floats(k * d)));

function closeTo(actual: number, expected: number, scale: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
}

describe.each(builds)("%s kernels match the TypeScript reference", (_, kernels) => {
  it("dot, squared L2, cosine and the batched dot", () => {
    fc.assert(
      fc.property(withData, ([k, d, q, c]) => {
        const query = kernels.alloc(Float32Array, d);
        query.view.set(q);
        const table = kernels.loadCentroids(c, k, d);
        const out = kernels.alloc(Float32Array, k);
        const expected = new Float32Array(k);
        const scale = d * 100 * 100;
        for (const [run, ref] of [
          [() => kernels.dot(query, table, out), () => reference.dot(q, c, k, d, expected)],
          [() => kernels.l2sq(query, table, out), () => reference.l2sq(q, c, k, d, expected)],
          [() => kernels.cosine(query, table, out), () => reference.cosine(q, c, k, d, expected)],
        ] as const) {
          run();
          ref();
          for (let i = 0; i < k; i++) closeTo(out.view[i] as number, expected[i] as number, scale);
        }
        const batch = kernels.alloc(Float32Array, 2 * k);
        const queries = kernels.alloc(Float32Array, 2 * d);
        queries.view.set(q);
        queries.view.set(q, d);
        kernels.dotBatch(queries, 2, table, batch);
        reference.dot(q, c, k, d, expected);
        for (let i = 0; i < k; i++) {
          closeTo(batch.view[i] as number, expected[i] as number, scale);
          closeTo(batch.view[k + i] as number, expected[i] as number, scale);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("nearest centroid: same best distance, runner-up and (up to near-ties) index", () => {
    fc.assert(
      fc.property(withData, fc.constantFrom(METRIC_COSINE_NORMALISED, METRIC_L2SQ), ([k, d, q, c], metric) => {
        const query = kernels.alloc(Float32Array, d);
        query.view.set(q);
        const table = kernels.loadCentroids(c, k, d);
        const got = kernels.nearest(query, table, metric);
        const want = reference.nearest(q, c, k, d, metric);
        const scale = d * 100 * 100;
        closeTo(got.best, want.best, scale);
        if (k === 1) expect(got.second).toBe(Number.POSITIVE_INFINITY);
        else closeTo(got.second, want.second, scale);
        if (want.second - want.best > 1e-3 * scale) expect(got.index).toBe(want.index);
      }),
      { numRuns: 200 },
    );
  });

  it("nearest centroid with NaN and Inf inputs follows the documented rules", () => {
    const table = kernels.loadCentroids(Float32Array.from([Number.NaN, 0, 1, 0, 0, 2]), 3, 2);
    const query = kernels.alloc(Float32Array, 2);
    query.view.set([0, 0]);
    expect(kernels.nearest(query, table, METRIC_L2SQ)).toEqual({ index: 1, best: 1, second: 4 });
    const allNaN = kernels.loadCentroids(Float32Array.from([Number.NaN, 1]), 1, 2);
    expect(kernels.nearest(query, allNaN, METRIC_L2SQ)).toEqual({
      index: -1,
      best: Number.POSITIVE_INFINITY,
      second: Number.POSITIVE_INFINITY,
    });
    query.view.set([Number.POSITIVE_INFINITY, 0]);
    expect(kernels.nearest(query, kernels.loadCentroids(Float32Array.from([0, 0]), 1, 2), METRIC_L2SQ).best).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it("cosine of a zero vector is 0, not NaN", () => {
    const query = kernels.alloc(Float32Array, 5);
    const out = kernels.alloc(Float32Array, 1);
    kernels.cosine(query, kernels.loadCentroids(Float32Array.from([1, 2, 3, 4, 5]), 1, 5), out);
    expect(out.view[0]).toBe(0);
  });

  it("L2 normalisation", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }).chain(floats), (v) => {
        const region = kernels.alloc(Float32Array, v.length);
        region.view.set(v);
        kernels.l2Normalize(region);
        const expected = Float32Array.from(v);
        reference.l2Normalize(expected);
        for (let i = 0; i < v.length; i++) closeTo(region.view[i] as number, expected[i] as number, 1);
      }),
      { numRuns: 150 },
    );
    const zero = kernels.alloc(Float32Array, 7);
    kernels.l2Normalize(zero);
    expect(Array.from(zero.view)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  const counts = (n: number) =>
    fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1000 })), { minLength: n, maxLength: n });
  const countPair = fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(counts(n), counts(n)));

  it("JS and KL divergence match the reference", () => {
    fc.assert(
      fc.property(countPair, ([p, q]) => {
        const rp = kernels.alloc(Float64Array, p.length);
        const rq = kernels.alloc(Float64Array, q.length);
        rp.view.set(p);
        rq.view.set(q);
        const [fp, fq] = [Float64Array.from(p), Float64Array.from(q)];
        const js = kernels.jsDivergence(rp, rq);
        const kl = kernels.klDivergence(rp, rq);
        const [wantJs, wantKl] = [reference.jsDivergence(fp, fq), reference.klDivergence(fp, fq)];
        if (Number.isNaN(wantJs)) expect(js).toBeNaN();
        else expect(js).toBeCloseTo(wantJs, 12);
        if (!Number.isFinite(wantKl)) expect(kl).toBe(wantKl);
        else expect(kl).toBeCloseTo(wantKl, 10);
      }),
      { numRuns: 300 },
    );
  });

  it("JS divergence properties: symmetric, 0 for equal, within [0,1], 1 for disjoint supports", () => {
    fc.assert(
      fc.property(countPair, ([p, q]) => {
        const rp = kernels.alloc(Float64Array, p.length);
        const rq = kernels.alloc(Float64Array, q.length);
        rp.view.set(p);
        rq.view.set(q);
        const js = kernels.jsDivergence(rp, rq);
        if (Number.isNaN(js)) return; // an empty histogram has no distribution
        expect(kernels.jsDivergence(rq, rp)).toBeCloseTo(js, 12);
        expect(js).toBeGreaterThanOrEqual(0);
        expect(js).toBeLessThanOrEqual(1);
        expect(kernels.jsDivergence(rp, rp)).toBeCloseTo(0, 12);
        const disjoint = kernels.alloc(Float64Array, 2 * p.length);
        const other = kernels.alloc(Float64Array, 2 * p.length);
        disjoint.view.set(p);
        other.view.set(q, p.length);
        if (p.some((x) => x > 0) && q.some((x) => x > 0))
          expect(kernels.jsDivergence(disjoint, other)).toBeCloseTo(1, 12);
      }),
      { numRuns: 200 },
    );
  });

  it("divergence of empty, negative or NaN counts is NaN", () => {
    const p = kernels.alloc(Float64Array, 3);
    const q = kernels.alloc(Float64Array, 3);
    q.view.set([1, 2, 3]);
    expect(kernels.jsDivergence(p, q)).toBeNaN();
    p.view.set([1, -1, 1]);
    expect(kernels.jsDivergence(p, q)).toBeNaN();
    p.view.set([1, Number.NaN, 1]);
    expect(kernels.klDivergence(p, q)).toBeNaN();
  });

  it("histogram add, batch add (skipping negative indices) and merge", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 33 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.array(fc.integer({ min: -1, max: n - 1 }), { maxLength: 60 }), counts(n)),
          ),
        ([n, indices, base]) => {
          const hist = kernels.alloc(Float64Array, n);
          const idx = kernels.alloc(Int32Array, Math.max(indices.length, 1));
          idx.view.set(indices);
          kernels.histAddBatch(hist, idx, indices.length, 2);
          kernels.histAdd(hist, 0, 0.5);
          const other = kernels.alloc(Float64Array, n);
          other.view.set(base);
          kernels.histMerge(hist, other);
          const expected = new Float64Array(n);
          reference.histAddBatch(expected, Int32Array.from(indices), 2);
          reference.histAdd(expected, 0, 0.5);
          reference.histMerge(expected, Float64Array.from(base));
          expect(Array.from(hist.view)).toEqual(Array.from(expected));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("sketch projection is bit-identical to the reference", () => {
    fc.assert(
      fc.property(
        fc.uint32Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 4 }),
        (hashes, d, projections) => {
          const h = kernels.alloc(Uint32Array, Math.max(hashes.length, 1));
          h.view.set(hashes);
          const out = kernels.alloc(Float32Array, d);
          kernels.sketchProject(h, hashes.length, projections, out);
          const expected = new Float32Array(d);
          reference.sketchProject(hashes, d, projections, expected);
          expect(Array.from(out.view)).toEqual(Array.from(expected));
        },
      ),
      { numRuns: 150 },
    );
  });
});
