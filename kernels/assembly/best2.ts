// The running best and runner-up of one nearest-centroid search, shared by the f32 and int8 searches (module
// globals: a search never re-enters). NaN distances never win; ties keep the lower index.

let best: f32 = Infinity;
let second: f32 = Infinity;
let index: i32 = -1;

/** Start a search. */
// @ts-ignore: decorator
@inline export function resetBest(): void {
  best = Infinity;
  second = Infinity;
  index = -1;
}

/** Offer row `r` at distance `dist`. */
// @ts-ignore: decorator
@inline export function consider(dist: f32, r: i32): void {
  if (dist < best || (index < 0 && dist == best)) {
    second = best;
    best = dist;
    index = r;
  } else if (dist < second) {
    second = dist;
  }
}

/** Write [best, second] (f32) to `result` and return the winning index (-1 when nothing was comparable). */
// @ts-ignore: decorator
@inline export function finishBest(result: usize): i32 {
  store<f32>(result, best);
  store<f32>(result, second, 4);
  return index;
}
