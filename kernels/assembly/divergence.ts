// Jensen-Shannon and Kullback-Leibler divergence between two count vectors (f64, n bins). Counts are normalised
// inside; zero bins are handled exactly (0·log 0 = 0). Logarithms are base 2, so JS ∈ [0, 1].
// Empty input (a vector summing to 0) has no distribution: the result is NaN. Negative or NaN counts give NaN.

// @ts-ignore: decorator
@inline function total(p: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const x = load<f64>(p + ((<usize>i) << 3));
    if (!(x >= 0)) return NaN;
    s += x;
  }
  return s;
}

/** JS(P‖Q) = ½KL(P‖M) + ½KL(Q‖M), M = ½(P+Q), log base 2. Symmetric; 0 for equal, 1 for disjoint supports. */
export function js_divergence_f64(p: usize, q: usize, n: i32): f64 {
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
  // Rounding can leave a hair outside [0, 1]; the true value cannot be.
  return js < 0 ? 0 : js > 1 ? 1 : js;
}

/** KL(P‖Q) = Σ p log2(p/q). +Inf when P has mass where Q has none. */
export function kl_divergence_f64(p: usize, q: usize, n: i32): f64 {
  const sp = total(p, n);
  const sq = total(q, n);
  if (!(sp > 0) || !(sq > 0)) return NaN;
  let kl: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    const pi = load<f64>(p + o) / sp;
    if (pi == 0) continue;
    const qi = load<f64>(q + o) / sq;
    if (qi == 0) return Infinity;
    kl += pi * Math.log2(pi / qi);
  }
  return kl < 0 ? 0 : kl;
}
