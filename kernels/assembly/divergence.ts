// Jensen-Shannon and Kullback-Leibler divergence between two count vectors (f64, n bins). Counts are normalised
// inside; zero bins are handled exactly (0·log 0 = 0). Logarithms are base 2, so JS ∈ [0, 1].
// Empty input (a vector summing to 0) has no distribution: the result is NaN. Negative or NaN counts give NaN, and
// so does a count of +Inf (or counts whose sum overflows f64).
//
// JS, SIMD builds: four bins per f32x4 with the form whose terms all have one sign,
//   JS = 1 + ½ Σ [lo·log2(lo/t) + hi·log2(hi/t)],   lo = min(p, q), hi = max(p, q), t = p + q,
// so each bin needs two logarithms of numbers in [0, 1] and no log of m = t/2. With s = lo/t ∈ [0, ½]:
//   log2 s      = e + (2/ln 2)·atanh(z): s = 2^e·m with m ∈ [√½, √2) by integer arithmetic, z = (m-1)/(m+1),
//                 |z| ≤ 0.1716, atanh by z·(c0 + c1 z² + c2 z⁴);
//   log2(1 - s) = (2/ln 2)·atanh(w), w = lo/(lo - 2t) ∈ [-⅓, 0], by w·(d0 + d1 w² + d2 w⁴ + d3 w⁶).
// The coefficients are minimax fits in f32. Over every f32 input (scripts/check-log2f.mjs), with f32 rounding after
// each operation or the relaxed build's fused multiply-adds: |error| ≤ ε_s = 1.2e-7 for the first (before e is
// added) and ≤ ε_l = 2.4e-7 for the second. Counts are demoted to f32 once; each bin's two products are summed in
// f32, four blocks of four bins at a time, then in f64.
// Error bound, u = 2⁻²⁴ (f32 rounding), W = Σ lo ≤ 1, to first order in u:
//   demoting the counts (relative u each; Σ p·log2(t/p) ≤ 1 by Jensen)                ≤ u
//   t = p + q and s = lo/t rounded (each moves a log by ≤ u/ln 2, weighted by lo)       ≤ 2.16u
//   the logs, ½(W·ε_s + (2 - W)·ε_l), and adding e to log2 s                           ≤ ε_l + 0.53u
//   the two products and their sum (Σ lo·|log2 s| ≤ 1.06, Σ hi·|log2(hi/t)| ≤ 1)        ≤ 2.06u
//   the f32 sum of four blocks (two levels)                                             ≤ 2.06u
// so |JS_simd - JS| ≤ ε_l + 7.81u < 7.1e-7; the f64 sums add < 1e-12. A count that demotes below the least normal
// f32 loses precision, but next to a total ≥ 2⁻⁶⁰ its share of JS is below 1e-20. Zero bins contribute exactly 0
// (lo = 0 gives w = 0 and 0·finite; t = 0 is raised to the least normal f32 so no 0/0 arises), so disjoint supports
// give exactly 1; equal inputs give s = ½ exactly but log2(1 - s) only within ε_l, so their JS is ≤ ε_l/2.
//
// KL, SIMD builds: f64x2 lanes with the log2 approximation of log2.ts (|error| ≤ 4.4e-8),
// KL = Σ p·log2 p - Σ p·log2 q; each log's error is weighted by a probability, so |KL_simd - KL| ≤ 2·4.4e-8 (plus
// rounding).
// The scalar build keeps exact Math.log2 for both.
import { log2x2 } from "./log2";

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

/** x·log2 x per lane (0 at 0). */
// @ts-ignore: decorator
@inline function xlog2x(x: v128): v128 {
  return f64x2.mul(x, log2x2(x));
}

/** a·b + c on f32 lanes, fused in the relaxed-SIMD build. */
// @ts-ignore: decorator
@inline function madd32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** lo·log2(lo/t) + hi·log2(hi/t) per lane, for four bins of non-negative f32 p, q (see the file comment). */
// @ts-ignore: decorator
@inline function jsTerms4(p: v128, q: v128): v128 {
  const lo = f32x4.pmin(p, q);
  const hi = f32x4.pmax(p, q);
  const t = f32x4.pmax(f32x4.add(p, q), f32x4.splat(1.17549435e-38));
  // s = 2^e·m: subtracting the bits of √½ puts m in [√½, √2) and leaves e in the top bits.
  const x = i32x4.sub(f32x4.div(lo, t), i32x4.splat(0x3f3504f3));
  const e = f32x4.convert_i32x4_s(i32x4.shr_s(x, 23));
  const m = i32x4.add(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f3504f3));
  const z = f32x4.div(f32x4.sub(m, f32x4.splat(1)), f32x4.add(m, f32x4.splat(1)));
  const z2 = f32x4.mul(z, z);
  let ls = madd32(z2, f32x4.splat(0.5989739298820496), f32x4.splat(0.9614707827568054));
  ls = madd32(ls, z2, f32x4.splat(2.8853912353515625));
  ls = madd32(ls, z, e);
  const w = f32x4.div(lo, f32x4.sub(lo, f32x4.add(t, t)));
  const w2 = f32x4.mul(w, w);
  let ll = madd32(w2, f32x4.splat(0.5052953958511353), f32x4.splat(0.5689141750335693));
  ll = madd32(ll, w2, f32x4.splat(0.9620559811592102));
  ll = madd32(ll, w2, f32x4.splat(2.885387897491455));
  ll = f32x4.mul(ll, w);
  return f32x4.add(f32x4.mul(lo, ls), f32x4.mul(hi, ll));
}

/** Four f64 counts at `at`, times `scale` unless `raw`, as f32x4. */
// @ts-ignore: decorator
@inline function demote4(at: usize, raw: bool, scale: v128): v128 {
  let a = v128.load(at);
  let b = v128.load(at, 16);
  if (!raw) {
    a = f64x2.mul(a, scale);
    b = f64x2.mul(b, scale);
  }
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

/** acc + the four f32 lanes of r, in f64. */
// @ts-ignore: decorator
@inline function addPromoted(acc: v128, r: v128): v128 {
  const high = v128.shuffle<f32>(r, r, 2, 3, 2, 3);
  return f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(r), f64x2.promote_low_f32x4(high)));
}

/**
 * Σ [lo·log2(lo/t) + hi·log2(hi/t)] over n bins of P·ps and Q·qs (P taken as it is when `raw`), as two f64 lanes;
 * NaN lanes when a count is negative.
 */
// @ts-ignore: decorator
@inline function jsSum(p: usize, q: usize, n: i32, raw: bool, ps: v128, qs: v128): v128 {
  let acc = f64x2.splat(0);
  let sign = i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = (<usize>i) << 3;
    const p0 = demote4(p + o, raw, ps);
    const p1 = demote4(p + o + 32, raw, ps);
    const p2 = demote4(p + o + 64, raw, ps);
    const p3 = demote4(p + o + 96, raw, ps);
    const q0 = demote4(q + o, false, qs);
    const q1 = demote4(q + o + 32, false, qs);
    const q2 = demote4(q + o + 64, false, qs);
    const q3 = demote4(q + o + 96, false, qs);
    const m01 = v128.or(f32x4.pmin(p0, q0), f32x4.pmin(p1, q1));
    sign = v128.or(sign, v128.or(m01, v128.or(f32x4.pmin(p2, q2), f32x4.pmin(p3, q3))));
    const r01 = f32x4.add(jsTerms4(p0, q0), jsTerms4(p1, q1));
    acc = addPromoted(acc, f32x4.add(r01, f32x4.add(jsTerms4(p2, q2), jsTerms4(p3, q3))));
  }
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 3;
    const p0 = demote4(p + o, raw, ps);
    const q0 = demote4(q + o, false, qs);
    sign = v128.or(sign, f32x4.pmin(p0, q0));
    acc = addPromoted(acc, jsTerms4(p0, q0));
  }
  if (i < n) {
    // One to three bins left: zero lanes contribute exactly 0.
    let a = f64x2.splat(0);
    let b = f64x2.splat(0);
    let c = f64x2.splat(0);
    let d = f64x2.splat(0);
    const o = (<usize>i) << 3;
    a = f64x2.replace_lane(a, 0, load<f64>(p + o));
    c = f64x2.replace_lane(c, 0, load<f64>(q + o));
    if (i + 1 < n) {
      a = f64x2.replace_lane(a, 1, load<f64>(p + o, 8));
      c = f64x2.replace_lane(c, 1, load<f64>(q + o, 8));
    }
    if (i + 2 < n) {
      b = f64x2.replace_lane(b, 0, load<f64>(p + o, 16));
      d = f64x2.replace_lane(d, 0, load<f64>(q + o, 16));
    }
    if (!raw) {
      a = f64x2.mul(a, ps);
      b = f64x2.mul(b, ps);
    }
    c = f64x2.mul(c, qs);
    d = f64x2.mul(d, qs);
    const p0 = v128.shuffle<f32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
    const q0 = v128.shuffle<f32>(f32x4.demote_f64x2_zero(c), f32x4.demote_f64x2_zero(d), 0, 1, 4, 5);
    sign = v128.or(sign, f32x4.pmin(p0, q0));
    acc = addPromoted(acc, jsTerms4(p0, q0));
  }
  // A set sign bit is a negative count, or a -0 (which is a valid zero): only then look at the counts again.
  if (i32x4.bitmask(sign) != 0 && hasNegative(p, q, n)) return f64x2.splat(NaN);
  return acc;
}

/** Whether a count in P or Q is below zero. */
function hasNegative(p: usize, q: usize, n: i32): bool {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    if (load<f64>(p + o) < 0 || load<f64>(q + o) < 0) return true;
  }
  return false;
}

/** Σ P and Σ Q in one pass, as [Σ P, Σ Q] (a NaN count makes its sum NaN). */
// @ts-ignore: decorator
@inline function sums(p: usize, q: usize, n: i32): v128 {
  let ap = f64x2.splat(0);
  let bp = f64x2.splat(0);
  let aq = f64x2.splat(0);
  let bq = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 3;
    ap = f64x2.add(ap, v128.load(p + o));
    bp = f64x2.add(bp, v128.load(p + o, 16));
    aq = f64x2.add(aq, v128.load(q + o));
    bq = f64x2.add(bq, v128.load(q + o, 16));
  }
  ap = f64x2.add(ap, bp);
  aq = f64x2.add(aq, bq);
  let sp = f64x2.extract_lane(ap, 0) + f64x2.extract_lane(ap, 1);
  let sq = f64x2.extract_lane(aq, 0) + f64x2.extract_lane(aq, 1);
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    sp += load<f64>(p + o);
    sq += load<f64>(q + o);
  }
  return f64x2(sp, sq);
}

/** JS(P‖Q) = ½KL(P‖M) + ½KL(Q‖M), M = ½(P+Q), log base 2. Symmetric; 0 for equal, 1 for disjoint supports. */
export function js_divergence_f64(p: usize, q: usize, n: i32): f64 {
  if (ASC_FEATURE_SIMD) {
    const s = sums(p, q, n);
    const sp = f64x2.extract_lane(s, 0);
    const sq = f64x2.extract_lane(s, 1);
    if (!(sp > 0 && sp < Infinity) || !(sq > 0 && sq < Infinity)) return NaN;
    // JS depends only on the two distributions: when the larger total is in [2⁻⁶⁰, 2⁶⁰], that vector is demoted
    // as it is and the other scaled to the same total (one multiply fewer per bin), and the sum divided by that
    // total at the end; otherwise both are normalised first, so that nothing overflows or underflows f32. Taking
    // the larger one (the terms are symmetric in P and Q) keeps JS(P, Q) and JS(Q, P) bit for bit equal.
    const big = sp >= sq ? sp : sq;
    let acc: v128;
    let scale: f64;
    if (big >= 8.673617379884035e-19 && big <= 1152921504606846976.0) {
      const pBig = sp >= sq;
      acc = jsSum(pBig ? p : q, pBig ? q : p, n, true, f64x2.splat(1), f64x2.splat(pBig ? sp / sq : sq / sp));
      scale = 0.5 / big;
    } else {
      acc = jsSum(p, q, n, false, f64x2.splat(1 / sp), f64x2.splat(1 / sq));
      scale = 0.5;
    }
    const js = 1 + scale * (f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1));
    // Rounding can leave a hair outside [0, 1]; the true value cannot be (NaN stays NaN).
    return js < 0 ? 0 : js > 1 ? 1 : js;
  }
  const sp = total(p, n);
  const sq = total(q, n);
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let js: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    const pi = load<f64>(p + o) / sp;
    const qi = load<f64>(q + o) / sq;
    const m = 0.5 * (pi + qi);
    if (pi > 0) js += pi * Math.log2(pi / m);
    if (qi > 0) js += qi * Math.log2(qi / m);
  }
  js *= 0.5;
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
