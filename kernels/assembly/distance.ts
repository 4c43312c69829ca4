// Distances of one f32 query against K row-major centroids, and a batched form.
// Layout: `centroids` is K×d row-major f32 (row k at centroids + k*d*4); `query` is d f32; outputs are f32.
// Preconditions (not checked per element): pointers 4-byte aligned (16 recommended), d ≥ 1, K ≥ 1, regions disjoint.
// NaN/Inf propagate per IEEE 754 (a NaN in a row makes that row's result NaN).
import { dot4Rows, madd } from "./rows4";

/** Σ a[i]*b[i] over d floats. SIMD build: four f32x4 accumulators over 16 lanes per step, then 4-wide, then scalar
 * (multiply-adds fused in the relaxed-SIMD build). */
// @ts-ignore: decorator
@inline export function dotRow(a: usize, b: usize, d: i32): f32 {
  let i = 0;
  let acc: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    for (; i + 16 <= d; i += 16) {
      const o = (<usize>i) << 2;
      a0 = madd(v128.load(a + o), v128.load(b + o), a0);
      a1 = madd(v128.load(a + o, 16), v128.load(b + o, 16), a1);
      a2 = madd(v128.load(a + o, 32), v128.load(b + o, 32), a2);
      a3 = madd(v128.load(a + o, 48), v128.load(b + o, 48), a3);
    }
    for (; i + 4 <= d; i += 4) {
      const o = (<usize>i) << 2;
      a0 = madd(v128.load(a + o), v128.load(b + o), a0);
    }
    const s = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
    acc = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  } else {
    let s0: f32 = 0;
    let s1: f32 = 0;
    let s2: f32 = 0;
    let s3: f32 = 0;
    for (; i + 4 <= d; i += 4) {
      const o = (<usize>i) << 2;
      s0 += load<f32>(a + o) * load<f32>(b + o);
      s1 += load<f32>(a + o, 4) * load<f32>(b + o, 4);
      s2 += load<f32>(a + o, 8) * load<f32>(b + o, 8);
      s3 += load<f32>(a + o, 12) * load<f32>(b + o, 12);
    }
    acc = s0 + s1 + s2 + s3;
  }
  for (; i < d; i++) {
    const o = (<usize>i) << 2;
    acc += load<f32>(a + o) * load<f32>(b + o);
  }
  return acc;
}

/** Σ (a[i]-b[i])² over d floats, accumulated like {@link dotRow}. */
// @ts-ignore: decorator
@inline export function l2sqRow(a: usize, b: usize, d: i32): f32 {
  let i = 0;
  let acc: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    for (; i + 16 <= d; i += 16) {
      const o = (<usize>i) << 2;
      const d0 = f32x4.sub(v128.load(a + o), v128.load(b + o));
      const d1 = f32x4.sub(v128.load(a + o, 16), v128.load(b + o, 16));
      const d2 = f32x4.sub(v128.load(a + o, 32), v128.load(b + o, 32));
      const d3 = f32x4.sub(v128.load(a + o, 48), v128.load(b + o, 48));
      a0 = madd(d0, d0, a0);
      a1 = madd(d1, d1, a1);
      a2 = madd(d2, d2, a2);
      a3 = madd(d3, d3, a3);
    }
    for (; i + 4 <= d; i += 4) {
      const o = (<usize>i) << 2;
      const d0 = f32x4.sub(v128.load(a + o), v128.load(b + o));
      a0 = madd(d0, d0, a0);
    }
    const s = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
    acc = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  } else {
    let s0: f32 = 0;
    let s1: f32 = 0;
    let s2: f32 = 0;
    let s3: f32 = 0;
    for (; i + 4 <= d; i += 4) {
      const o = (<usize>i) << 2;
      const d0 = load<f32>(a + o) - load<f32>(b + o);
      const d1 = load<f32>(a + o, 4) - load<f32>(b + o, 4);
      const d2 = load<f32>(a + o, 8) - load<f32>(b + o, 8);
      const d3 = load<f32>(a + o, 12) - load<f32>(b + o, 12);
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    acc = s0 + s1 + s2 + s3;
  }
  for (; i < d; i++) {
    const o = (<usize>i) << 2;
    const x = load<f32>(a + o) - load<f32>(b + o);
    acc += x * x;
  }
  return acc;
}

/**
 * out[k] = dot(query, centroids[k]) for k < K (also the linear scores W·x of a classifier's weight rows). Shapes:
 * query d, centroids K×d, out K. SIMD builds score four rows per pass sharing the query loads.
 */
export function dot_f32_rowmajor(query: usize, centroids: usize, k: i32, d: i32, out: usize): void {
  const stride = (<usize>d) << 2;
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    for (; r + 4 <= k; r += 4) v128.store(out + ((<usize>r) << 2), dot4Rows(query, centroids + <usize>r * stride, stride, d));
  }
  for (; r < k; r++) store<f32>(out + ((<usize>r) << 2), dotRow(query, centroids + <usize>r * stride, d));
}

/** out[k] = Σ (query - centroids[k])². Shapes: query d, centroids K×d, out K. */
export function l2sq_f32_rowmajor(query: usize, centroids: usize, k: i32, d: i32, out: usize): void {
  const stride = (<usize>d) << 2;
  for (let r = 0; r < k; r++) store<f32>(out + ((<usize>r) << 2), l2sqRow(query, centroids + <usize>r * stride, d));
}

/**
 * out[k] = cos(query, centroids[k]) = dot / (|query|·|centroid|). A zero query or zero centroid gives 0 (defined, not
 * NaN): a zero vector is orthogonal to everything. Shapes: query d, centroids K×d, out K.
 */
export function cosine_f32_rowmajor(query: usize, centroids: usize, k: i32, d: i32, out: usize): void {
  const stride = (<usize>d) << 2;
  const qn = Mathf.sqrt(dotRow(query, query, d));
  for (let r = 0; r < k; r++) {
    const row = centroids + <usize>r * stride;
    const denom = qn * Mathf.sqrt(dotRow(row, row, d));
    store<f32>(out + ((<usize>r) << 2), denom > 0 ? dotRow(query, row, d) / denom : 0);
  }
}

/** out[n][k] = dot(queries[n], centroids[k]). Shapes: queries N×d, centroids K×d, out N×K (row-major). */
export function dot_batch_f32_rowmajor(queries: usize, n: i32, centroids: usize, k: i32, d: i32, out: usize): void {
  const stride = (<usize>d) << 2;
  const outStride = (<usize>k) << 2;
  for (let q = 0; q < n; q++) dot_f32_rowmajor(queries + <usize>q * stride, centroids, k, d, out + <usize>q * outStride);
}
