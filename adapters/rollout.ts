/**
 * The rollout contract shared by the worker and the trainer: the actions an operator (or the guard) may take on a
 * language's adapters, and the history entry every accepted change leaves behind.
 *
 * Each accepted manifest carries the change that produced it (`change`), and is kept as `manifests/{revision}.json`
 * beside `manifest.json`: the history of a language is the chain of those changes, newest first.
 */
import { z } from "zod";

/** What the guard measures per arm (stable or canary) while a canary runs. */
export const ArmFiguresSchema = z.object({
  version: z.string(),
  requests: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  errorRate: z.number().min(0).max(1),
  /** Geometric mean of the time to first byte over successful requests, in ms (null without any). */
  ttfbGeoMeanMs: z.number().nonnegative().nullable(),
  feedbackCount: z.number().int().nonnegative(),
  /** Mean explicit feedback score in [0,1] (null without any). */
  feedbackMean: z.number().min(0).max(1).nullable(),
});

/** The canary guard's thresholds (src/registry/guard.ts states the test). */
export const GuardPolicySchema = z.object({
  /** Requests each arm needs before any test runs. */
  minSamples: z.number().int().positive(),
  /** One-sided critical z of the error-rate and feedback tests (2.326: α = 1%). */
  zCritical: z.number().positive(),
  /** Largest accepted ratio of canary over stable geometric-mean time to first byte. */
  maxLatencyRatio: z.number().gt(1),
  /**
   * Smallest slowdown (canary minus stable geometric-mean time to first byte, ms) that counts as a latency
   * regression: against a fast upstream a ratio alone is scheduling noise (1 ms vs 2 ms is a ratio of 2).
   */
  minLatencyDeltaMs: z.number().nonnegative().default(50),
  /** Feedback scores each arm needs before the feedback test runs. */
  minFeedback: z.number().int().positive(),
  /** Promote after this many clean canary requests; null: only an operator promotes. */
  autoPromoteAfter: z.number().int().positive().nullable(),
});

/** The figures behind one guard decision: both arms, each test's statistic and its bound. */
export const GuardFiguresSchema = z.object({
  stable: ArmFiguresSchema,
  canary: ArmFiguresSchema,
  /** One-sided two-proportion z statistic of canary error rate over stable's (null until both arms are sampled). */
  errorRateZ: z.number().nullable(),
  /** Canary over stable geometric-mean TTFB (null until both arms have successes). */
  latencyRatio: z.number().nullable(),
  /** One-sided Welch z of stable mean feedback over canary's (null until both arms have enough feedback). */
  feedbackZ: z.number().nullable(),
  policy: GuardPolicySchema,
});

export const RolloutActionSchema = z.enum(["canary", "promote", "rollback", "abort"]);

/** Body of `POST /admin/rollout/{language}`. */
export const RolloutRequestSchema = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("canary"),
    /** The published version to try; `name` may be left out when only one adapter name has that version. */
    version: z.string().min(1),
    name: z.string().optional(),
    share: z.number().gt(0).max(1),
    /** With this, the guard promotes the canary after this many clean canary requests. */
    autoPromoteAfter: z.number().int().positive().optional(),
    /** Thresholds other than the guard's defaults for this canary. */
    guard: GuardPolicySchema.omit({ autoPromoteAfter: true }).partial().optional(),
    reason: z.string().max(500).optional(),
  }),
  z.object({ action: z.literal("promote"), reason: z.string().max(500).optional() }),
  z.object({ action: z.literal("rollback"), reason: z.string().max(500).optional() }),
  z.object({ action: z.literal("abort"), reason: z.string().max(500).optional() }),
]);

const RefSummarySchema = z.object({ name: z.string(), version: z.string(), sha256: z.string().optional() });

/** One accepted change, as recorded in the manifest it produced. */
export const RolloutEventSchema = z.object({
  revision: z.number().int().positive(),
  at: z.string(),
  language: z.string(),
  action: z.union([RolloutActionSchema, z.literal("publish")]),
  /** Who made the change: `admin` (an authenticated operator), `guard` (the canary guard), `trainer` (publish). */
  actor: z.enum(["admin", "guard", "trainer"]),
  reason: z.string(),
  from: z.object({ stable: RefSummarySchema.nullable(), canary: RefSummarySchema.nullable() }),
  to: z.object({ stable: RefSummarySchema.nullable(), canary: RefSummarySchema.nullable() }),
  share: z.number().min(0).max(1).optional(),
  figures: GuardFiguresSchema.optional(),
  /**
   * What the upstream said when the change's adapters were loaded into it (UPSTREAM_ADAPTER_LOADING=vllm): a guard
   * rollback whose stable adapter failed to load says so here, and was applied all the same.
   */
  upstream: z.string().max(1000).optional(),
});

export type ArmFigures = z.infer<typeof ArmFiguresSchema>;
export type GuardFigures = z.infer<typeof GuardFiguresSchema>;
export type GuardPolicy = z.infer<typeof GuardPolicySchema>;
export type RolloutAction = z.infer<typeof RolloutActionSchema>;
export type RolloutRequest = z.infer<typeof RolloutRequestSchema>;
export type RolloutEvent = z.infer<typeof RolloutEventSchema>;
