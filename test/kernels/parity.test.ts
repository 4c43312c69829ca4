import fc from "fast-check";
import { describe, expect, it } from "vitest";
import relaxedModule from "../../kernels/build/compass.relaxed.wasm";
import scalarModule from "../../kernels/build/compass.scalar.wasm";
import simdModule from "../../kernels/build/compass.simd.wasm";
import { METRIC_COSINE_NORMALISED, METRIC_L2SQ, reference, relaxedSimdSupported, WasmKernels } from "../../kernels/src";

// Every build is held to the TypeScript reference (workerd validates relaxed SIMD, so the fused build runs here too).
// Shapes are drawn so that d and K are often not multiples of 4 or 16 (exercising the SIMD tails) and K = 1 occurs.
const builds = [
  ["simd", new WasmKernels(simdModule)],
  ["relaxed", new WasmKernels(relaxedModule)],
  ["scalar", new WasmKernels(scalarModule)],
] as const;
// The SIMD builds take log2 from a series (|error| ≤ 4.4e-8 per log); the scalar build is exact.
const divergenceTolerance = { simd: 1e-7, relaxed: 1e-7, scalar: 1e-12 } as const;

it("workerd validates relaxed SIMD (the fused build runs here)", () => {
  expect(relaxedSimdSupported()).toBe(true);
});

const shape = fc.record({ k: fc.integer({ min: 1, max: 13 }), d: fc.integer({ min: 1, max: 70 }) });
const floats = (n: number) =>
  fc.float32Array({ minLength: n, maxLength: n, noNaN: true, noDefaultInfinity: true, min: -100, max: 100 });
const withData = shape.chain(({ k, d }) => fc.tuple(fc.constant(k), fc.constant(d), floats(d), floats(k * d)));

function closeTo(actual: number, expected: number, scale: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
}

describe.each(builds)("%s kernels match the TypeScript reference", (name, kernels) => {
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
        const tolerance = divergenceTolerance[name];
        if (Number.isNaN(wantJs)) expect(js).toBeNaN();
        else expect(Math.abs(js - wantJs)).toBeLessThanOrEqual(tolerance);
        if (!Number.isFinite(wantKl)) expect(kl).toBe(wantKl);
        else expect(Math.abs(kl - wantKl)).toBeLessThanOrEqual(tolerance * Math.max(1, wantKl));
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
        // Exact even with the approximate log: log2_approx(2x) = 1 + log2_approx(x), so equal inputs cancel.
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

  it("JS divergence of 1024-bin histograms is within 1e-6 of the exact value, mass spread over many scales", () => {
    const n = 1024;
    const rp = kernels.alloc(Float64Array, n);
    const rq = kernels.alloc(Float64Array, n);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-9, max: 1e9, noNaN: true })), {
          minLength: n,
          maxLength: n,
        }),
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-9, max: 1e9, noNaN: true })), {
          minLength: n,
          maxLength: n,
        }),
        (p, q) => {
          rp.view.set(p);
          rq.view.set(q);
          const want = reference.jsDivergence(Float64Array.from(p), Float64Array.from(q));
          const got = kernels.jsDivergence(rp, rq);
          if (Number.isNaN(want)) expect(got).toBeNaN();
          else expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-6);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("log2 stays within its stated bound (4.4e-8) from 1e-300 to 1e300 and is -1023 at 0 (the scalar build: exact up to an ulp, -Inf at 0)", () => {
    const n = 4001;
    const src = kernels.alloc(Float64Array, n);
    const dst = kernels.alloc(Float64Array, n);
    for (let i = 0; i < n - 1; i++) src.view[i] = 10 ** (-300 + (600 * i) / (n - 2)) * (1 + Math.sin(i) * 0.49);
    kernels.log2(src, dst);
    let worst = 0;
    for (let i = 0; i < n - 1; i++)
      worst = Math.max(worst, Math.abs((dst.view[i] as number) - Math.log2(src.view[i] as number)));
    expect(worst).toBeLessThanOrEqual(name === "scalar" ? 1e-15 : 4.4e-8);
    // Mantissas densely across one octave, where the series' error lives.
    for (let i = 0; i < n; i++) src.view[i] = 1 + i / (n - 1);
    kernels.log2(src, dst);
    worst = 0;
    for (let i = 0; i < n; i++)
      worst = Math.max(worst, Math.abs((dst.view[i] as number) - Math.log2(src.view[i] as number)));
    expect(worst).toBeLessThanOrEqual(name === "scalar" ? 1e-15 : 4.4e-8);
    src.view[0] = 0;
    kernels.log2(src, dst);
    expect(dst.view[0]).toBe(name === "scalar" ? Number.NEGATIVE_INFINITY : -1023);
  });

  it("int8 nearest centroid equals the TypeScript int8 reference bit for bit", () => {
    fc.assert(
      fc.property(withData, ([k, d, q, c]) => {
        const query = kernels.alloc(Float32Array, d);
        query.view.set(q);
        const table = kernels.loadCentroidsI8(c, k, d);
        const codes = new Int8Array(k * d);
        const scales = new Float32Array(k);
        reference.quantizeRowsI8(c, k, d, codes, scales);
        expect(Array.from(table.data.view)).toEqual(Array.from(codes));
        expect(kernels.nearestI8(query, table)).toEqual(reference.nearestI8(q, codes, scales, k, d));
      }),
      { numRuns: 200 },
    );
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
