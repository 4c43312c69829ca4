// Jensen-Shannon and Kullback-Leibler divergence between two count vectors (f64, n bins). Counts are normalised
// inside; zero bins are handled exactly (0·log 0 = 0). Logarithms are base 2, so JS ∈ [0, 1].
// Empty input (a vector summing to 0) has no distribution: the result is NaN. Negative or NaN counts give NaN.
//
// The SIMD build works on f64x2 lanes with the log2 approximation of log2.ts (|error| ≤ 4.4e-8), using
//   JS = 1 + ½ Σ [f(p) + f(q) - f(p + q)],  f(x) = x·log2 x,   KL = Σ f(p) - Σ p·log2 q,
// so each bin costs three (two) logarithms and no division by m. Each log's error is weighted by a probability
// (Σp = Σq = 1, Σ(p+q) = 2), so |JS_simd - JS| ≤ 2·4.4e-8 < 1e-7 and |KL_simd - KL| ≤ 2·4.4e-8 (plus rounding).
// The scalar build keeps exact Math.log2.
import { log2x2, mantissa, series, split } from "./log2";

// @ts-ignore: decorator
@inline function total(p: usize, n: i32): f64 {
  let i = 0;
  let s: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f64x2.splat(0);
    let ok = i64x2.splat(-1);
    const zero = f64x2.splat(0);
    for (; i + 2 <= n; i += 2) {
      const x = v128.load(p + ((<usize>i) << 3));
      ok = v128.and(ok, f64x2.ge(x, zero));
      acc = f64x2.add(acc, x);
    }
    if (!v128.all_true<i64>(ok)) return NaN;
    s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  }
  for (; i < n; i++) {
    const x = load<f64>(p + ((<usize>i) << 3));
    if (!(x >= 0)) return NaN;
    s += x;
  }
  return s;
}

/**
 * p·log2 p + q·log2 q - t·log2 t per lane (t = p + q) with the three logarithms sharing one division:
 * z_k = a_k / b_k is computed as a_k · (Π_{j≠k} b_j) / (b_1 b_2 b_3), a few ulps of z, nothing measurable in the bound.
 */
// @ts-ignore: decorator
@inline function jsTerms(p: v128, q: v128): v128 {
  const t = f64x2.add(p, q);
  const one = f64x2.splat(1.0);
  const root2 = f64x2.splat(1.4142135623730951);
  const half = f64x2.splat(0.5);
  let ep = split(p);
  let eq = split(q);
  let et = split(t);
  let mp = mantissa(p);
  let mq = mantissa(q);
  let mt = mantissa(t);
  let big = f64x2.gt(mp, root2);
  mp = v128.bitselect(f64x2.mul(mp, half), mp, big);
  ep = f64x2.add(ep, v128.and(big, one));
  big = f64x2.gt(mq, root2);
  mq = v128.bitselect(f64x2.mul(mq, half), mq, big);
  eq = f64x2.add(eq, v128.and(big, one));
  big = f64x2.gt(mt, root2);
  mt = v128.bitselect(f64x2.mul(mt, half), mt, big);
  et = f64x2.add(et, v128.and(big, one));
  const bp = f64x2.add(mp, one);
  const bq = f64x2.add(mq, one);
  const bt = f64x2.add(mt, one);
  const bpq = f64x2.mul(bp, bq);
  const inv = f64x2.div(one, f64x2.mul(bpq, bt));
  const lp = f64x2.add(ep, series(f64x2.mul(f64x2.sub(mp, one), f64x2.mul(f64x2.mul(bq, bt), inv))));
  const lq = f64x2.add(eq, series(f64x2.mul(f64x2.sub(mq, one), f64x2.mul(f64x2.mul(bp, bt), inv))));
  const lt = f64x2.add(et, series(f64x2.mul(f64x2.sub(mt, one), f64x2.mul(bpq, inv))));
  return f64x2.sub(f64x2.add(f64x2.mul(p, lp), f64x2.mul(q, lq)), f64x2.mul(t, lt));
}

/** x·log2 x per lane (0 at 0). */
// @ts-ignore: decorator
@inline function xlog2x(x: v128): v128 {
  return f64x2.mul(x, log2x2(x));
}

/** JS(P‖Q) = ½KL(P‖M) + ½KL(Q‖M), M = ½(P+Q), log base 2. Symmetric; 0 for equal, 1 for disjoint supports. */
export function js_divergence_f64(p: usize, q: usize, n: i32): f64 {
  const sp = total(p, n);
  const sq = total(q, n);
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let js: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    const ip = f64x2.splat(1 / sp);
    const iq = f64x2.splat(1 / sq);
    let acc = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      const pi = f64x2.mul(v128.load(p + o), ip);
      const qi = f64x2.mul(v128.load(q + o), iq);
      acc = f64x2.add(acc, jsTerms(pi, qi));
    }
    if (i < n) {
      const o = (<usize>i) << 3;
      const pi = f64x2.replace_lane(f64x2.splat(0), 0, load<f64>(p + o) / sp);
      const qi = f64x2.replace_lane(f64x2.splat(0), 0, load<f64>(q + o) / sq);
      acc = f64x2.add(acc, jsTerms(pi, qi));
    }
    js = 1 + 0.5 * (f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1));
  } else {
    for (let i = 0; i < n; i++) {
      const o = (<usize>i) << 3;
      const pi = load<f64>(p + o) / sp;
      const qi = load<f64>(q + o) / sq;
      const m = 0.5 * (pi + qi);
      if (pi > 0) js += pi * Math.log2(pi / m);
      if (qi > 0) js += qi * Math.log2(qi / m);
    }
    js *= 0.5;
  }
  // Rounding can leave a hair outside [0, 1]; the true value cannot be.
  return js < 0 ? 0 : js > 1 ? 1 : js;
}

/** KL(P‖Q) = Σ p log2(p/q). +Inf when P has mass where Q has none. */
export function kl_divergence_f64(p: usize, q: usize, n: i32): f64 {
  const sp = total(p, n);
  const sq = total(q, n);
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let kl: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const ip = f64x2.splat(1 / sp);
    const iq = f64x2.splat(1 / sq);
    const zero = f64x2.splat(0);
    let acc = f64x2.splat(0);
    let uncovered = i64x2.splat(0);
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      const pi = f64x2.mul(v128.load(p + o), ip);
      const qi = f64x2.mul(v128.load(q + o), iq);
      uncovered = v128.or(uncovered, v128.and(f64x2.gt(pi, zero), f64x2.eq(qi, zero)));
      acc = f64x2.add(acc, f64x2.sub(xlog2x(pi), f64x2.mul(pi, log2x2(qi))));
    }
    if (v128.any_true(uncovered)) return Infinity;
    kl = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    const pi = load<f64>(p + o) / sp;
    if (pi == 0) continue;
    const qi = load<f64>(q + o) / sq;
    if (qi == 0) return Infinity;
    kl += pi * Math.log2(pi / qi);
  }
  return kl < 0 ? 0 : kl;
}
