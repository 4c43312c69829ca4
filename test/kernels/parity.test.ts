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
// The SIMD builds compute JS in f32 with approximate logs, within the bound derived in
// kernels/assembly/divergence.ts (7.1e-7), and KL in f64 from a log2 series (|error| ≤ 4.4e-8 per log); the scalar
// build is exact.
const JS_BOUND = 7.1e-7;
const jsTolerance = { simd: JS_BOUND, relaxed: JS_BOUND, scalar: 1e-12 } as const;
const klTolerance = { simd: 1e-7, relaxed: 1e-7, scalar: 1e-12 } as const;

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

  it("nearest centroid on unit vectors at d = 256 (the sketch space's 8-row pass) and other multiples of 4, K up to 40", () => {
    const unitShape = fc.record({
      k: fc.integer({ min: 1, max: 40 }),
      d: fc.constantFrom(256, 256, 64, 100, 252, 260),
    });
    const unitData = unitShape.chain(({ k, d }) =>
      fc.tuple(fc.constant(k), fc.constant(d), floats(d), floats(k * d), fc.nat({ max: 39 })),
    );
    const unit = (v: Float32Array, rows: number, d: number) => {
      for (let r = 0; r < rows; r++) reference.l2Normalize(v.subarray(r * d, (r + 1) * d));
      return v;
    };
    fc.assert(
      fc.property(unitData, ([k, d, q0, c0, near]) => {
        const c = unit(Float32Array.from(c0), k, d);
        // Half the queries sit next to a centroid, as requests sit near their cluster.
        const q = unit(
          Float32Array.from(q0, (x, i) => (near < k ? (c[(near % k) * d + i] as number) + x * 1e-3 : x)),
          1,
          d,
        );
        const query = kernels.alloc(Float32Array, d);
        query.view.set(q);
        const table = kernels.loadCentroids(c, k, d);
        const got = kernels.nearest(query, table, METRIC_COSINE_NORMALISED);
        const want = reference.nearest(q, c, k, d, METRIC_COSINE_NORMALISED);
        expect(Math.abs(got.best - want.best)).toBeLessThanOrEqual(1e-5);
        if (k === 1) expect(got.second).toBe(Number.POSITIVE_INFINITY);
        else expect(Math.abs(got.second - want.second)).toBeLessThanOrEqual(1e-5);
        if (want.second - want.best > 1e-5) expect(got.index).toBe(want.index);
      }),
      { numRuns: 150 },
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
        else expect(Math.abs(js - wantJs)).toBeLessThanOrEqual(jsTolerance[name]);
        if (!Number.isFinite(wantKl)) expect(kl).toBe(wantKl);
        else expect(Math.abs(kl - wantKl)).toBeLessThanOrEqual(klTolerance[name] * Math.max(1, wantKl));
      }),
      { numRuns: 300 },
    );
  });

  it("JS divergence properties: symmetric bit for bit, 0 for equal (SIMD: within ε_l/2), within [0,1], exactly 1 for disjoint supports", () => {
    fc.assert(
      fc.property(countPair, ([p, q]) => {
        const rp = kernels.alloc(Float64Array, p.length);
        const rq = kernels.alloc(Float64Array, q.length);
        rp.view.set(p);
        rq.view.set(q);
        const js = kernels.jsDivergence(rp, rq);
        if (Number.isNaN(js)) return; // an empty histogram has no distribution
        if (name === "scalar") expect(kernels.jsDivergence(rq, rp)).toBeCloseTo(js, 12);
        else expect(kernels.jsDivergence(rq, rp)).toBe(js);
        expect(js).toBeGreaterThanOrEqual(0);
        expect(js).toBeLessThanOrEqual(1);
        // SIMD: s = ½ exactly, and only log2(1 - s) carries its error ε_l = 2.4e-7, weighted by ½.
        expect(kernels.jsDivergence(rp, rp)).toBeLessThanOrEqual(name === "scalar" ? 1e-12 : 1.2e-7);
        const disjoint = kernels.alloc(Float64Array, 2 * p.length);
        const other = kernels.alloc(Float64Array, 2 * p.length);
        disjoint.view.set(p);
        other.view.set(q, p.length);
        if (p.some((x) => x > 0) && q.some((x) => x > 0)) {
          // SIMD: every bin has lo = 0, whose terms are exactly 0, so JS = 1 + 0.
          if (name === "scalar") expect(kernels.jsDivergence(disjoint, other)).toBeCloseTo(1, 12);
          else expect(kernels.jsDivergence(disjoint, other)).toBe(1);
        }
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

  it("JS divergence stays within its stated bound on adversarial inputs: one-hot vs uniform, masses of 1e-12, disjoint and equal supports, 1024 random pairs, totals beyond 2^±60", () => {
    const bound = jsTolerance[name];
    const n = 1024;
    const rp = kernels.alloc(Float64Array, n);
    const rq = kernels.alloc(Float64Array, n);
    let worst = 0;
    const check = (p: Float64Array, q: Float64Array) => {
      rp.view.set(p);
      rq.view.set(q);
      const got = kernels.jsDivergence(rp, rq);
      const err = Math.abs(got - reference.jsDivergence(p, q));
      worst = Math.max(worst, err);
      expect(err).toBeLessThanOrEqual(bound);
      return got;
    };
    const uniform = new Float64Array(n).fill(1);
    for (const k of [0, 1, 511, 1023]) {
      const hot = new Float64Array(n);
      hot[k] = 7;
      check(hot, uniform);
      check(uniform, hot);
    }
    // Masses of 1e-12 against mass 1 in the other vector, and tiny masses on both sides of many bins.
    const tiny = new Float64Array(n).map((_, i) => (i % 3 === 0 ? 1e-12 : i % 3 === 1 ? 1 : 0));
    const shifted = new Float64Array(n).map((_, i) => (i % 3 === 1 ? 1e-12 : 1));
    check(tiny, shifted);
    check(tiny, uniform);
    check(
      new Float64Array(n).map((_, i) => (i === 5 ? 1 : 1e-12)),
      uniform,
    );
    // Disjoint supports: exactly 1 in every build but the scalar one's rounding; equal: 0 within ε_l/2.
    const even = new Float64Array(n).map((_, i) => (i % 2 === 0 ? 1 + (i % 7) : 0));
    const odd = new Float64Array(n).map((_, i) => (i % 2 === 1 ? 3 + (i % 5) : 0));
    expect(check(even, odd)).toBeCloseTo(1, 12);
    expect(check(even, even)).toBeLessThanOrEqual(name === "scalar" ? 1e-12 : 1.2e-7);
    // The same distributions at totals beyond [2^-60, 2^60] (both normalised before demoting) and inside it.
    let state = 7;
    const next = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const draw = () =>
      new Float64Array(n).map(() => (next() < 0.3 ? 0 : 10 ** (12 * next() - 6) * (next() < 0.5 ? 1 : 1e-12)));
    const [a, b] = [draw(), draw()];
    const base = check(a, b);
    for (const scale of [1e-30, 1e30, 1e-250, 1e250]) {
      const got = check(
        a.map((x) => x * scale),
        b.map((x) => x * (scale === 1e250 ? 1e-250 : scale)),
      );
      expect(Math.abs(got - base)).toBeLessThanOrEqual(2 * bound);
    }
    for (let pair = 0; pair < 1024; pair++) check(draw(), draw());
    // Two-bin histograms sweep the ratio lo/t over many octaves, where each log's own error shows.
    const two = [kernels.alloc(Float64Array, 2), kernels.alloc(Float64Array, 2)] as const;
    for (let i = 0; i <= 80; i++) {
      for (let j = 0; j <= 80; j++) {
        const x = i === 80 ? 0.5 : 2 ** (-i / 2);
        const y = j === 80 ? 0.5 : 1 - 2 ** (-j / 2);
        two[0].view.set([x, 1 - x]);
        two[1].view.set([y, 1 - y]);
        const err = Math.abs(kernels.jsDivergence(two[0], two[1]) - reference.jsDivergence(two[0].view, two[1].view));
        worst = Math.max(worst, err);
        expect(err).toBeLessThanOrEqual(bound);
      }
    }
    expect(worst).toBeLessThanOrEqual(bound);
  });

  it("JS divergence: a count of +Inf is NaN, a count of -0 is a zero", () => {
    const p = kernels.alloc(Float64Array, 5);
    const q = kernels.alloc(Float64Array, 5);
    p.view.set([1, 2, 3, 4, 5]);
    q.view.set([5, 4, Number.POSITIVE_INFINITY, 2, 1]);
    expect(kernels.jsDivergence(p, q)).toBeNaN();
    q.view.set([5, 4, -0, 2, 1]);
    const withNegativeZero = kernels.jsDivergence(p, q);
    q.view.set([5, 4, 0, 2, 1]);
    expect(withNegativeZero).toBe(kernels.jsDivergence(p, q));
    expect(Number.isNaN(withNegativeZero)).toBe(false);
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
