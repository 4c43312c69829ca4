/**
 * The drift check (METHOD §5): whether a window is due for a check, and whether JS(P_ref ‖ P_mon) crosses θ. Pure:
 * every input is an argument, the divergence included (the WASM kernel in the worker, its TypeScript reference in
 * tests), so the edge's decisions can be replayed against the trainer's `compass-trainer drift` sample for sample.
 */

/** How often and over what a window is checked; the trainer's `DriftMonitor` takes the same three numbers. */
export interface DriftPolicy {
  /** Samples in the sliding window **[choice: the last 1000 per language and region]**. */
  window: number;
  /** A check every this many new samples (paper: 100). */
  checkEvery: number;
  /**
   * No check until the (re)started window holds this many samples **[choice: the full window]**: a JS over 100 samples
   * and ~50 clusters is mostly sampling noise (≈0.2), which would re-trigger at once after every restart.
   */
  minSamples: number;
}

export const METHOD_POLICY: DriftPolicy = { window: 1000, checkEvery: 100, minSamples: 1000 };

/** JS(P ‖ Q) in log base 2 over counts or shares (normalised inside); NaN when either is all zero. */
export type Divergence = (p: ArrayLike<number>, q: ArrayLike<number>) => number;

export type CheckReason =
  | "window-filling" // fewer than minSamples since the window (re)started: no check
  | "between-checks" // fewer than checkEvery new samples since the last check: no check
  | "within-theta" // checked: JS ≤ θ
  | "over-theta"; // checked: JS > θ, a trigger

export type CheckDecision =
  | { reason: "window-filling" | "between-checks" }
  | { reason: "within-theta" | "over-theta"; js: number };

export interface CheckInput {
  /** Samples in the window now. */
  windowSamples: number;
  /** New samples since the last check (or since the window restarted). */
  sinceCheck: number;
  reference: ArrayLike<number>;
  /** The window's counts per cluster. */
  monitored: ArrayLike<number>;
  theta: number;
}

/** Decide whether the window is checked after its latest sample and, if so, whether it triggers. */
export function checkDrift(input: CheckInput, policy: DriftPolicy, divergence: Divergence): CheckDecision {
  if (input.sinceCheck < policy.checkEvery) return { reason: "between-checks" };
  if (input.windowSamples < policy.minSamples) return { reason: "window-filling" };
  const js = divergence(input.reference, input.monitored);
  return { reason: js > input.theta ? "over-theta" : "within-theta", js };
}

export type Attribution =
  | { kind: "spread" } // no single region explains the rollup's drift: the rollup triggers
  | { kind: "regional"; region: string; jsWithout: number }; // without this region's samples the rollup is within θ

/**
 * For the per-language rollup (region `all`) once it is over θ: is the drift one region's? The rollup exists for
 * drift spread thinly over regions that no regional window catches. When leaving out one region's samples brings the
 * rest back within θ (or leaves nothing), that region's own window is the one to trigger, and the rollup defers to
 * it rather than firing a second trigger for the same drift. **[choice: leave-one-out attribution]**
 *
 * `byRegion` holds each region's counts inside the rollup's window; regions are tried largest first.
 */
export function attributeDrift(
  reference: ArrayLike<number>,
  monitored: ArrayLike<number>,
  byRegion: ReadonlyMap<string, ArrayLike<number>>,
  theta: number,
  divergence: Divergence,
): Attribution {
  const totals = [...byRegion].map(([region, counts]) => [region, sum(counts)] as const);
  totals.sort((a, b) => b[1] - a[1]);
  const rest = new Float64Array(monitored.length);
  for (const [region] of totals) {
    const own = byRegion.get(region)!;
    for (let k = 0; k < rest.length; k++) rest[k] = (monitored[k] as number) - (own[k] as number);
    const jsWithout = sum(rest) > 0 ? divergence(reference, rest) : 0;
    if (jsWithout <= theta) return { kind: "regional", region, jsWithout };
  }
  return { kind: "spread" };
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] as number;
  return total;
}
