// CPU cost of one call, for the in-process benches (bench:kernels, bench:edge).

/**
 * µs per call of `fn`: the best of 40 rounds of at least `ms` each, after a warm-up of 50 calls. The best round is
 * the stablest figure on a shared machine, and many short rounds find an undisturbed one more often than a few long
 * ones (two cores shared by several jobs preempt a 40 ms round almost always); calls are timed in groups of 10 so
 * the clock read stays out of the cost.
 */
export function micros(fn, ms = 6) {
  for (let i = 0; i < 50; i++) fn();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 40; round++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      for (let i = 0; i < 10; i++) fn();
      calls += 10;
      now = performance.now();
    }
    best = Math.min(best, ((now - start) * 1000) / calls);
  }
  return best;
}
