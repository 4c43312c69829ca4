/**
 * The canary guard's decision. Pure: the two arms' counters and the policy in, a named verdict and the figures behind
 * it out. The guard's Durable Object (guard.do.ts) keeps the counters and applies the verdict.
 *
 * The stated test, once each arm has `minSamples` requests:
 * - error rate: one-sided two-proportion z-test with the pooled rate, H1 "canary errs more often than stable";
 *   regression when z > zCritical (2.326: α = 1%).
 * - latency: ratio of the geometric-mean time to first byte (canary over stable), over successful requests (each arm
 *   needs `minSamples` of them); regression when the ratio exceeds `maxLatencyRatio` and the canary is also at least
 *   `minLatencyDeltaMs` slower in absolute terms. The geometric mean keeps one slow outlier from deciding; the
 *   absolute floor keeps scheduling noise on a fast upstream (1 ms vs 2 ms) from deciding.
 * - feedback: once each arm has `minFeedback` scores, one-sided Welch z of stable's mean over the canary's; regression
 *   when z > zCritical.
 * With no regression and `autoPromoteAfter` set, the canary is promoted once it has served that many requests.
 */
import type { ArmFigures, GuardFigures, GuardPolicy } from "../../adapters/rollout";

/** Counters of one arm (one adapter version) while a canary runs. */
export interface ArmStats {
  version: string;
  requests: number;
  errors: number;
  /** Successful requests with a measured time to first byte, and the sum of ln(ms) over them. */
  ttfbCount: number;
  ttfbLogSum: number;
  feedbackCount: number;
  feedbackSum: number;
  feedbackSumSq: number;
}

export type { GuardPolicy };

/** The defaults: α = 1% one-sided, 50 requests per arm, a canary 50% and at least 50 ms slower is a regression. */
export const DEFAULT_GUARD_POLICY: GuardPolicy = {
  minSamples: 50,
  zCritical: 2.326,
  maxLatencyRatio: 1.5,
  minLatencyDeltaMs: 50,
  minFeedback: 20,
  autoPromoteAfter: null,
};

export type GuardVerdict =
  | "insufficient-samples" // an arm has fewer than minSamples requests: no test yet
  | "healthy" // every test passed; keep measuring
  | "regression-error-rate" // the canary errs significantly more often than stable → rollback
  | "regression-latency" // the canary's geometric-mean TTFB is over maxLatencyRatio × stable's and minLatencyDeltaMs more → rollback
  | "regression-feedback" // the canary's mean feedback is significantly lower than stable's → rollback
  | "promote-clean"; // no regression after autoPromoteAfter canary requests → promote

export interface GuardDecision {
  verdict: GuardVerdict;
  action: "none" | "rollback" | "promote";
  figures: GuardFigures;
}

export function emptyArm(version: string): ArmStats {
  return {
    version,
    requests: 0,
    errors: 0,
    ttfbCount: 0,
    ttfbLogSum: 0,
    feedbackCount: 0,
    feedbackSum: 0,
    feedbackSumSq: 0,
  };
}

/** One-sided two-proportion z of p_canary > p_stable with the pooled rate; 0 when neither arm ever erred. */
export function twoProportionZ(errorsA: number, nA: number, errorsB: number, nB: number): number {
  const pooled = (errorsA + errorsB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  if (se === 0) return 0;
  return (errorsB / nB - errorsA / nA) / se;
}

/** One-sided Welch z of mean(stable) > mean(canary) from counts, sums and sums of squares. */
export function welchZ(stable: ArmStats, canary: ArmStats): number {
  const moments = (arm: ArmStats) => {
    const mean = arm.feedbackSum / arm.feedbackCount;
    const variance =
      Math.max(0, arm.feedbackSumSq / arm.feedbackCount - mean * mean) * (arm.feedbackCount / (arm.feedbackCount - 1));
    return { mean, variance, n: arm.feedbackCount };
  };
  const s = moments(stable);
  const c = moments(canary);
  const se = Math.sqrt(s.variance / s.n + c.variance / c.n);
  const diff = s.mean - c.mean;
  if (se === 0) return diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY;
  return diff / se;
}

function figuresOf(arm: ArmStats): ArmFigures {
  return {
    version: arm.version,
    requests: arm.requests,
    errors: arm.errors,
    errorRate: arm.requests ? arm.errors / arm.requests : 0,
    ttfbGeoMeanMs: arm.ttfbCount ? Math.exp(arm.ttfbLogSum / arm.ttfbCount) : null,
    feedbackCount: arm.feedbackCount,
    feedbackMean: arm.feedbackCount ? arm.feedbackSum / arm.feedbackCount : null,
  };
}

const round = (x: number | null, digits = 4) => (x === null || !Number.isFinite(x) ? x : Number(x.toFixed(digits)));

/** Judge a running canary against its stable arm. */
export function decideGuard(stable: ArmStats, canary: ArmStats, policy: GuardPolicy): GuardDecision {
  const sampled = stable.requests >= policy.minSamples && canary.requests >= policy.minSamples;
  const timed = stable.ttfbCount >= policy.minSamples && canary.ttfbCount >= policy.minSamples;
  const rated = stable.feedbackCount >= policy.minFeedback && canary.feedbackCount >= policy.minFeedback;
  const errorRateZ = sampled ? twoProportionZ(stable.errors, stable.requests, canary.errors, canary.requests) : null;
  const latencyRatio = timed
    ? Math.exp(canary.ttfbLogSum / canary.ttfbCount - stable.ttfbLogSum / stable.ttfbCount)
    : null;
  const latencyDeltaMs = timed
    ? Math.exp(canary.ttfbLogSum / canary.ttfbCount) - Math.exp(stable.ttfbLogSum / stable.ttfbCount)
    : null;
  const feedbackZ = rated ? welchZ(stable, canary) : null;
  const figures: GuardFigures = {
    stable: figuresOf(stable),
    canary: figuresOf(canary),
    errorRateZ: round(errorRateZ),
    latencyRatio: round(latencyRatio),
    feedbackZ: round(feedbackZ),
    policy,
  };
  const decision = (verdict: GuardVerdict, action: GuardDecision["action"]): GuardDecision => ({
    verdict,
    action,
    figures,
  });
  if (!sampled) return decision("insufficient-samples", "none");
  if (errorRateZ !== null && errorRateZ > policy.zCritical) return decision("regression-error-rate", "rollback");
  if (
    latencyRatio !== null &&
    latencyDeltaMs !== null &&
    latencyRatio > policy.maxLatencyRatio &&
    latencyDeltaMs >= policy.minLatencyDeltaMs
  )
    return decision("regression-latency", "rollback");
  if (feedbackZ !== null && feedbackZ > policy.zCritical) return decision("regression-feedback", "rollback");
  if (policy.autoPromoteAfter !== null && canary.requests >= policy.autoPromoteAfter)
    return decision("promote-clean", "promote");
  return decision("healthy", "none");
}
