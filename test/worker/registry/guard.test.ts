import { describe, expect, it } from "vitest";
import {
  type ArmStats,
  DEFAULT_GUARD_POLICY,
  decideGuard,
  emptyArm,
  twoProportionZ,
} from "../../../src/registry/guard";

/** An arm after `n` requests with `errors` failures, successes at `ttfbMs`, and optional feedback scores. */
function arm(version: string, n: number, errors: number, ttfbMs: number, scores: number[] = []): ArmStats {
  const stats = emptyArm(version);
  stats.requests = n;
  stats.errors = errors;
  stats.ttfbCount = n - errors;
  stats.ttfbLogSum = (n - errors) * Math.log(ttfbMs);
  stats.feedbackCount = scores.length;
  stats.feedbackSum = scores.reduce((a, b) => a + b, 0);
  stats.feedbackSumSq = scores.reduce((a, b) => a + b * b, 0);
  return stats;
}

const policy = { ...DEFAULT_GUARD_POLICY, minSamples: 50 };

describe("canary guard decision", () => {
  it("waits until both arms have the minimum sample, even for an all-failing canary", () => {
    const decision = decideGuard(arm("1", 500, 0, 100), arm("2", 49, 49, 100), policy);
    expect(decision).toMatchObject({ verdict: "insufficient-samples", action: "none" });
    expect(decision.figures.errorRateZ).toBeNull();
  });

  it("rolls back a canary whose error rate is significantly higher", () => {
    const decision = decideGuard(arm("1", 450, 4, 100), arm("2", 50, 10, 100), policy);
    expect(decision).toMatchObject({ verdict: "regression-error-rate", action: "rollback" });
    expect(decision.figures.errorRateZ).toBeGreaterThan(policy.zCritical);
    expect(decision.figures.canary.errorRate).toBeCloseTo(0.2);
  });

  it("does not roll back for an error-rate difference within chance", () => {
    // 2% vs 4% on 50 canary requests: z ≈ 0.9, well under 2.326.
    const decision = decideGuard(arm("1", 450, 9, 100), arm("2", 50, 2, 100), policy);
    expect(decision.verdict).toBe("healthy");
    expect(decision.figures.errorRateZ).toBeLessThan(policy.zCritical);
  });

  it("rolls back a canary whose time to first byte is over the latency bound", () => {
    const decision = decideGuard(arm("1", 450, 0, 100), arm("2", 50, 0, 160), policy);
    expect(decision).toMatchObject({ verdict: "regression-latency", action: "rollback" });
    expect(decision.figures.latencyRatio).toBeCloseTo(1.6);
  });

  it("accepts a canary over the latency ratio but fewer than minLatencyDeltaMs slower (noise on a fast upstream)", () => {
    const decision = decideGuard(arm("1", 450, 0, 2), arm("2", 50, 0, 5), policy);
    expect(decision.figures.latencyRatio).toBeCloseTo(2.5);
    expect(decision.verdict).toBe("healthy");
  });

  it("accepts a canary slower by less than the bound", () => {
    expect(decideGuard(arm("1", 450, 0, 100), arm("2", 50, 0, 140), policy).verdict).toBe("healthy");
  });

  it("rolls back on significantly worse explicit feedback", () => {
    const good = Array.from({ length: 30 }, (_, i) => (i % 5 === 0 ? 0 : 1));
    const bad = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 0 : 1));
    const decision = decideGuard(arm("1", 450, 0, 100, good), arm("2", 50, 0, 100, bad), policy);
    expect(decision).toMatchObject({ verdict: "regression-feedback", action: "rollback" });
    expect(decision.figures.canary.feedbackMean).toBeCloseTo(0.5);
  });

  it("ignores feedback until each arm has the minimum number of scores", () => {
    const decision = decideGuard(arm("1", 450, 0, 100, [1, 1, 1]), arm("2", 50, 0, 100, [0, 0, 0]), policy);
    expect(decision.verdict).toBe("healthy");
    expect(decision.figures.feedbackZ).toBeNull();
  });

  it("promotes a clean canary after autoPromoteAfter requests, not before", () => {
    const auto = { ...policy, autoPromoteAfter: 100 };
    expect(decideGuard(arm("1", 900, 1, 100), arm("2", 99, 0, 100), auto).verdict).toBe("healthy");
    expect(decideGuard(arm("1", 900, 1, 100), arm("2", 100, 0, 100), auto)).toMatchObject({
      verdict: "promote-clean",
      action: "promote",
    });
  });

  it("never promotes without autoPromoteAfter", () => {
    expect(decideGuard(arm("1", 9000, 0, 100), arm("2", 1000, 0, 100), policy).action).toBe("none");
  });

  it("computes the pooled two-proportion z as the textbook formula", () => {
    // p1 = 10/100, p2 = 20/100, pooled 0.15: z = 0.1 / sqrt(0.15·0.85·0.02) ≈ 1.980
    expect(twoProportionZ(10, 100, 20, 100)).toBeCloseTo(1.9803, 3);
    expect(twoProportionZ(0, 100, 0, 100)).toBe(0);
  });
});
