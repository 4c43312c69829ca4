// Eight centroid rows per pass for the nearest-centroid search (cosine on normalised vectors): each query vector is
// loaded once and multiplied into eight rows, one accumulator per row (eight independent add chains). In the
// sketch space (d = 256, a 1 KiB row) the eight rows sit at constant distances from the first, so every row load
// takes its offset as an immediate and the loop carries two pointers; for any other d the row addresses are added
// per step. Side by side at K=256, d=256 (SIMD build, best of interleaved rounds, load average ~5), µs per query:
// 4 rows × 2 accumulators (before) 4.7–5.0; 8 rows with computed addresses 4.2; 8 rows with immediate offsets
// 3.6–3.7; 4 rows × 16 floats 4.1–4.2; 8 rows × 2 query vectors 4.5–4.7; 4 rows × 32 floats and 8 rows × 16 floats
// 5.2 (the query no longer fits the 16 registers with the accumulators); an interleaved copy of the table (8 rows'
// chunks side by side) 4.0–4.2, by cache lines 5.0.
// Preconditions: rows `row` … `row + 7·stride` hold d floats each; d is a multiple of 4; SIMD builds only.
import { consider } from "./best2";
import { hsum4, madd } from "./rows4";

/** Offer rows r … r + 7 with distance 1 - dot, lanes of `lo` (rows r … r + 3) and `hi` (r + 4 … r + 7). */
// @ts-ignore: decorator
@inline function consider8(lo: v128, hi: v128, r: i32): void {
  const one = f32x4.splat(1);
  lo = f32x4.sub(one, lo);
  hi = f32x4.sub(one, hi);
  consider(f32x4.extract_lane(lo, 0), r);
  consider(f32x4.extract_lane(lo, 1), r + 1);
  consider(f32x4.extract_lane(lo, 2), r + 2);
  consider(f32x4.extract_lane(lo, 3), r + 3);
  consider(f32x4.extract_lane(hi, 0), r + 4);
  consider(f32x4.extract_lane(hi, 1), r + 5);
  consider(f32x4.extract_lane(hi, 2), r + 6);
  consider(f32x4.extract_lane(hi, 3), r + 7);
}

/**
 * Cosine distances of rows r … r + 7 offered to the running search. `sketchDim` (a constant at each call) selects
 * d = 256, where the row loads take immediate offsets (rows 1 KiB apart); otherwise `stride` and `d` are used.
 */
// @ts-ignore: decorator
@inline export function cosine8Rows(query: usize, row: usize, stride: usize, d: i32, r: i32, sketchDim: bool): void {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  let a4 = f32x4.splat(0);
  let a5 = f32x4.splat(0);
  let a6 = f32x4.splat(0);
  let a7 = f32x4.splat(0);
  let p = row;
  const end = query + (sketchDim ? 1024 : (<usize>d) << 2);
  for (let q = query; q < end; q += 16) {
    const x = v128.load(q);
    a0 = madd(x, v128.load(p), a0);
    if (sketchDim) {
      a1 = madd(x, v128.load(p, 1024), a1);
      a2 = madd(x, v128.load(p, 2048), a2);
      a3 = madd(x, v128.load(p, 3072), a3);
      a4 = madd(x, v128.load(p, 4096), a4);
      a5 = madd(x, v128.load(p, 5120), a5);
      a6 = madd(x, v128.load(p, 6144), a6);
      a7 = madd(x, v128.load(p, 7168), a7);
    } else {
      a1 = madd(x, v128.load(p + stride), a1);
      a2 = madd(x, v128.load(p + 2 * stride), a2);
      a3 = madd(x, v128.load(p + 3 * stride), a3);
      a4 = madd(x, v128.load(p + 4 * stride), a4);
      a5 = madd(x, v128.load(p + 5 * stride), a5);
      a6 = madd(x, v128.load(p + 6 * stride), a6);
      a7 = madd(x, v128.load(p + 7 * stride), a7);
    }
    p += 16;
  }
  consider8(hsum4(a0, a1, a2, a3), hsum4(a4, a5, a6, a7), r);
}
