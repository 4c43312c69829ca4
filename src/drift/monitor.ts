/**
 * One drift window in memory: the last `policy.window` cluster assignments as a ring, their counts, the check
 * cadence, and the restart after a trigger. The Durable Object (`window.do.ts`) persists it; the arithmetic is the
 * trainer's `DriftMonitor` (trainer/compass_trainer/drift.py), sample for sample.
 */
import { attributeDrift, type CheckDecision, checkDrift, type Divergence, type DriftPolicy } from "./check";

/** What one observed sample led to. */
export type Observation =
  | { outcome: "no-check"; decision: CheckDecision }
  | { outcome: "within-theta"; js: number }
  | { outcome: "over-theta"; js: number; monitored: number[]; reference: number[]; windowSamples: number }
  | { outcome: "deferred"; js: number; region: string; jsWithout: number };

/** The persisted part of a window: plain numbers and typed arrays. */
export interface WindowState {
  modelVersion: string;
  /** The cluster model's P_ref. */
  modelReference: number[];
  /** P_ref in force: the model's, or after a trigger the window it fired on (as the trainer's replay adopts it). */
  reference: number[];
  theta: number;
  /** Ring of cluster indices, `policy.window` long; `head` is the next slot written. */
  ring: Int32Array;
  /** The region index of each ring slot (rollup only; zeros in a regional window). */
  ringRegion: Uint16Array;
  head: number;
  size: number;
  sinceCheck: number;
  /** Samples since the window last (re)started. */
  sinceRestart: number;
  /** Samples ever observed under this model version. */
  total: number;
  triggers: number;
  lastJs: number | null;
}

export function freshWindow(
  policy: DriftPolicy,
  modelVersion: string,
  reference: number[],
  theta: number,
): WindowState {
  return {
    modelVersion,
    modelReference: reference.slice(),
    reference: reference.slice(),
    theta,
    ring: new Int32Array(policy.window),
    ringRegion: new Uint16Array(policy.window),
    head: 0,
    size: 0,
    sinceCheck: 0,
    sinceRestart: 0,
    total: 0,
    triggers: 0,
    lastJs: null,
  };
}

export class WindowMonitor {
  /** Counts per cluster over the ring, kept incrementally. */
  readonly counts: Float64Array;

  constructor(
    readonly state: WindowState,
    private readonly policy: DriftPolicy,
    private readonly divergence: Divergence,
    /** The rollup's region names by index; null for a regional window (no attribution). */
    private readonly regionNames: readonly string[] | null = null,
  ) {
    this.counts = new Float64Array(state.reference.length);
    for (let i = 0; i < state.size; i++) {
      const slot = (state.head - state.size + i + policy.window) % policy.window;
      this.counts[state.ring[slot] as number]! += 1;
    }
  }

  get clusters(): number {
    return this.counts.length;
  }

  /** Add one assignment (cluster index already validated against `clusters`), then check if due. */
  observe(cluster: number, regionIndex = 0): Observation {
    const s = this.state;
    const w = this.policy.window;
    if (s.size === w) this.counts[s.ring[s.head] as number]! -= 1;
    else s.size += 1;
    s.ring[s.head] = cluster;
    s.ringRegion[s.head] = regionIndex;
    s.head = (s.head + 1) % w;
    this.counts[cluster]! += 1;
    s.sinceCheck += 1;
    s.sinceRestart += 1;
    s.total += 1;

    const decision = checkDrift(
      {
        windowSamples: s.size,
        sinceCheck: s.sinceCheck,
        reference: s.reference,
        monitored: this.counts,
        theta: s.theta,
      },
      this.policy,
      this.divergence,
    );
    if (!("js" in decision)) return { outcome: "no-check", decision };
    s.sinceCheck = 0;
    s.lastJs = decision.js;
    if (decision.reason === "within-theta") return { outcome: "within-theta", js: decision.js };
    if (this.regionNames) {
      const attribution = attributeDrift(s.reference, this.counts, this.countsByRegion(), s.theta, this.divergence);
      if (attribution.kind === "regional")
        return { outcome: "deferred", js: decision.js, region: attribution.region, jsWithout: attribution.jsWithout };
    }
    const fired = {
      outcome: "over-theta" as const,
      js: decision.js,
      monitored: this.shares(),
      reference: s.reference.slice(),
      windowSamples: s.size,
    };
    this.restart(fired.monitored);
    s.triggers += 1;
    return fired;
  }

  /** P_mon: the window's share per cluster. */
  shares(): number[] {
    const total = this.state.size;
    return Array.from(this.counts, (c) => (total > 0 ? c / total : 0));
  }

  /** After a trigger the window's distribution becomes P_ref (the next cycle's) and the window restarts. */
  private restart(reference: number[]): void {
    const s = this.state;
    s.reference = reference;
    s.head = 0;
    s.size = 0;
    s.sinceCheck = 0;
    s.sinceRestart = 0;
    this.counts.fill(0);
  }

  private countsByRegion(): Map<string, Float64Array> {
    const s = this.state;
    const w = this.policy.window;
    const byRegion = new Map<string, Float64Array>();
    for (let i = 0; i < s.size; i++) {
      const slot = (s.head - s.size + i + w) % w;
      const name = this.regionNames?.[s.ringRegion[slot] as number] ?? "?";
      let counts = byRegion.get(name);
      if (!counts) {
        counts = new Float64Array(this.clusters);
        byRegion.set(name, counts);
      }
      counts[s.ring[slot] as number]! += 1;
    }
    return byRegion;
  }
}
