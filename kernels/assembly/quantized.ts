// Nearest centroid on an int8 centroid table (a quarter of the f32 table's bytes). Each row r is stored as
// round(c · 127 / max|c|) with the f32 scale max|c| / 127 (quantised once, in TypeScript: reference.quantizeRowsI8);
// the query as round(q · S / max|q|) in i16 with S = min(32767, ⌊(2³¹ - 1) / (127·d)⌋), so the i32 dot of a row can
// never overflow. The SIMD build widens 16 row bytes
// to two i16x8 and multiplies them into the query with `i32x4.dot_i16x8_s`, four rows per pass.
// Precondition: d ≤ 16,909,320 / 127 (S ≥ 1). Only the cosine metric on normalised vectors is offered: the quantised
// dot is what changes, and the distance is 1 - scale_q · scale_r · dot_i32.

import { consider, finishBest, resetBest } from "./best2";

/** The query scale bound S for dimension d (see the file's comment). */
// @ts-ignore: decorator
@inline function queryRange(d: i32): f32 {
  return <f32>min(32767, <i32>(2147483647 / (127 * <i64>d)));
}

/** Quantise a d-float query to i16 (`dst`); returns its scale (0 for a zero query). */
export function quantize_query_i16(src: usize, d: i32, dst: usize): f32 {
  let max: f32 = 0;
  for (let i = 0; i < d; i++) max = Mathf.max(max, Mathf.abs(load<f32>(src + ((<usize>i) << 2))));
  const range = queryRange(d);
  const inv: f32 = max > 0 ? range / max : 0;
  for (let i = 0; i < d; i++) {
    store<i16>(dst + ((<usize>i) << 1), <i16>(<i32>nearest<f32>(load<f32>(src + ((<usize>i) << 2)) * inv)));
  }
  return max / range;
}

// @ts-ignore: decorator
@inline function dotRowI8(q: usize, row: usize, d: i32): i32 {
  let s: i32 = 0;
  for (let i = 0; i < d; i++) s += <i32>load<i16>(q + ((<usize>i) << 1)) * <i32>load<i8>(row + <usize>i);
  return s;
}

/**
 * Nearest centroid by cosine distance on the int8 table: like nearest_f32_rowmajor (metric 0) with
 * dist_r = 1 - queryScale · scales[r] · Σ q_i16 · c_i8. Shapes: query d i16, table K×d i8, scales K f32.
 */
export function nearest_i8_rowmajor(
  query: usize,
  queryScale: f32,
  table: usize,
  scales: usize,
  k: i32,
  d: i32,
  result: usize,
): i32 {
  const stride = <usize>d;
  resetBest();
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    const qs = f32x4.splat(queryScale);
    const one = f32x4.splat(1);
    for (; r + 4 <= k; r += 4) {
      const r0 = table + <usize>r * stride;
      const r1 = r0 + stride;
      const r2 = r1 + stride;
      const r3 = r2 + stride;
      let a0 = i32x4.splat(0);
      let a1 = i32x4.splat(0);
      let a2 = i32x4.splat(0);
      let a3 = i32x4.splat(0);
      let i = 0;
      for (; i + 16 <= d; i += 16) {
        const ql = v128.load(query + ((<usize>i) << 1));
        const qh = v128.load(query + ((<usize>i) << 1), 16);
        const o = <usize>i;
        let c = v128.load(r0 + o);
        a0 = i32x4.add(a0, i32x4.add(i32x4.dot_i16x8_s(ql, i16x8.extend_low_i8x16_s(c)), i32x4.dot_i16x8_s(qh, i16x8.extend_high_i8x16_s(c))));
        c = v128.load(r1 + o);
        a1 = i32x4.add(a1, i32x4.add(i32x4.dot_i16x8_s(ql, i16x8.extend_low_i8x16_s(c)), i32x4.dot_i16x8_s(qh, i16x8.extend_high_i8x16_s(c))));
        c = v128.load(r2 + o);
        a2 = i32x4.add(a2, i32x4.add(i32x4.dot_i16x8_s(ql, i16x8.extend_low_i8x16_s(c)), i32x4.dot_i16x8_s(qh, i16x8.extend_high_i8x16_s(c))));
        c = v128.load(r3 + o);
        a3 = i32x4.add(a3, i32x4.add(i32x4.dot_i16x8_s(ql, i16x8.extend_low_i8x16_s(c)), i32x4.dot_i16x8_s(qh, i16x8.extend_high_i8x16_s(c))));
      }
      // Horizontal i32 sums, lane r = row r (same shuffle pattern as the f32 hsum4).
      const x = i32x4.add(v128.shuffle<i32>(a0, a1, 0, 1, 4, 5), v128.shuffle<i32>(a0, a1, 2, 3, 6, 7));
      const y = i32x4.add(v128.shuffle<i32>(a2, a3, 0, 1, 4, 5), v128.shuffle<i32>(a2, a3, 2, 3, 6, 7));
      let sums = i32x4.add(v128.shuffle<i32>(x, y, 0, 2, 4, 6), v128.shuffle<i32>(x, y, 1, 3, 5, 7));
      if (i < d) {
        const qt = query + ((<usize>i) << 1);
        const n = d - i;
        sums = i32x4.add(
          sums,
          i32x4(dotRowI8(qt, r0 + <usize>i, n), dotRowI8(qt, r1 + <usize>i, n), dotRowI8(qt, r2 + <usize>i, n), dotRowI8(qt, r3 + <usize>i, n)),
        );
      }
      const dist = f32x4.sub(one, f32x4.mul(f32x4.mul(qs, v128.load(scales + ((<usize>r) << 2))), f32x4.convert_i32x4_s(sums)));
      consider(f32x4.extract_lane(dist, 0), r);
      consider(f32x4.extract_lane(dist, 1), r + 1);
      consider(f32x4.extract_lane(dist, 2), r + 2);
      consider(f32x4.extract_lane(dist, 3), r + 3);
    }
  }
  for (; r < k; r++) {
    const scale = queryScale * load<f32>(scales + ((<usize>r) << 2));
    consider(<f32>1 - scale * <f32>dotRowI8(query, table + <usize>r * stride, d), r);
  }
  return finishBest(result);
}
