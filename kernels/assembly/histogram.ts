// Histograms of cluster counts (f64 so that decayed or weighted counts fit): add one observation, add a batch of
// assignments, merge two histograms. Shapes: counts n f64; indices m i32.

/** counts[index] += weight. Preconditions: 0 ≤ index < n. */
export function hist_add_f64(counts: usize, index: i32, weight: f64): void {
  const p = counts + ((<usize>index) << 3);
  store<f64>(p, load<f64>(p) + weight);
}

/** counts[indices[j]] += weight for j < m. Negative indices (unassigned, e.g. noise) are skipped. */
export function hist_add_batch_f64(counts: usize, indices: usize, m: i32, weight: f64): void {
  for (let j = 0; j < m; j++) {
    const index = load<i32>(indices + ((<usize>j) << 2));
    if (index < 0) continue;
    const p = counts + ((<usize>index) << 3);
    store<f64>(p, load<f64>(p) + weight);
  }
}

/** dst[i] += src[i] for i < n (f64x2 lanes in the SIMD build). */
export function hist_merge_f64(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(dst + o, f64x2.add(v128.load(dst + o), v128.load(src + o)));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(dst + o, load<f64>(dst + o) + load<f64>(src + o));
  }
}
