// Nearest centroid of one f32 query among K row-major centroids, with the runner-up distance (the margin feeds the
// boundary score and tells how firmly a request belongs to its cluster).
import { dotRow, l2sqRow } from "./distance";

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
  let best: f32 = Infinity;
  let second: f32 = Infinity;
  let index = -1;
  for (let r = 0; r < k; r++) {
    const row = centroids + <usize>r * stride;
    const dist: f32 = metric == METRIC_L2SQ ? l2sqRow(query, row, d) : <f32>1 - dotRow(query, row, d);
    if (dist < best || (index < 0 && dist == best)) {
      second = best;
      best = dist;
      index = r;
    } else if (dist < second) {
      second = dist;
    }
  }
  store<f32>(result, best);
  store<f32>(result, second, 4);
  return index;
}
