// Nearest centroid of one f32 query among K row-major centroids, with the runner-up distance (the margin feeds the
// boundary score and tells how firmly a request belongs to its cluster). SIMD builds score eight rows per pass for
// the cosine metric when d is a multiple of 4 (rows8.ts), then four (rows4.ts); the remaining rows, and the scalar
// build, go row by row.
import { consider, finishBest, resetBest } from "./best2";
import { dotRow, l2sqRow } from "./distance";
import { dot4Rows, l2sq4Rows } from "./rows4";
import { cosine8Rows } from "./rows8";

/** Metric 0: cosine distance 1 - dot(q, c), for L2-normalised query and centroids (the sketch space). */
export const METRIC_COSINE_NORMALISED: i32 = 0;
/** Metric 1: squared Euclidean distance. */
export const METRIC_L2SQ: i32 = 1;

/**
 * Index of the nearest centroid; writes [best, second] distances (f32) to `result`. Shapes: query d, centroids K×d.
 * NaN distances never win; with K = 1 or no comparable second, second = +Inf; with no comparable row at all the
 * index is -1 and best = +Inf. Ties keep the lower index.
 */
export function nearest_f32_rowmajor(query: usize, centroids: usize, k: i32, d: i32, metric: i32, result: usize): i32 {
  const stride = (<usize>d) << 2;
  resetBest();
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    if (metric != METRIC_L2SQ && (d & 3) == 0) {
      if (d == 256) for (; r + 8 <= k; r += 8) cosine8Rows(query, centroids + <usize>r * stride, stride, d, r, true);
      else for (; r + 8 <= k; r += 8) cosine8Rows(query, centroids + <usize>r * stride, stride, d, r, false);
    }
    const one = f32x4.splat(1);
    for (; r + 4 <= k; r += 4) {
      const row = centroids + <usize>r * stride;
      const dist =
        metric == METRIC_L2SQ ? l2sq4Rows(query, row, stride, d) : f32x4.sub(one, dot4Rows(query, row, stride, d));
      consider(f32x4.extract_lane(dist, 0), r);
      consider(f32x4.extract_lane(dist, 1), r + 1);
      consider(f32x4.extract_lane(dist, 2), r + 2);
      consider(f32x4.extract_lane(dist, 3), r + 3);
    }
  }
  for (; r < k; r++) {
    const row = centroids + <usize>r * stride;
    consider(metric == METRIC_L2SQ ? l2sqRow(query, row, d) : <f32>1 - dotRow(query, row, d), r);
  }
  return finishBest(result);
}
