/**
 * The drift trigger: the Queue message a drift window sends when JS(P_ref ‖ P_mon) crosses θ (METHOD §5–6), and the
 * record `GET /admin/triggers` lists for the trainer. Shared with the trainer, which validates the same shape.
 *
 * ```json
 * { "id": "sw.eu.1.3", "language": "sw", "region": "eu", "modelVersion": "1",
 *   "reference": [0.5, 0.5], "monitored": [0.1, 0.9], "js": 0.27, "theta": 0.15, "windowSamples": 1000,
 *   "windowKey": "windows/sw/eu/sw.eu.1.3.jsonl", "at": "2026-11-24T02:00:00.000Z" }
 * ```
 */
import { z } from "zod";

/** Region names: `request.cf`'s colo, country or continent lowercased, `local`, or `all` for the per-language rollup. */
export const RegionSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "regions are 1-32 of [a-z0-9_-]");

const distribution = z.array(z.number().nonnegative().max(1)).min(1);

export const DriftTriggerSchema = z
  .object({
    /** Unique per (language, region, model version, trigger number): a retried send or delivery carries the same id. */
    id: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/),
    language: z.string().min(2).max(8),
    region: RegionSchema,
    /** The cluster model version whose clusters the distributions are over. */
    modelVersion: z.string().min(1),
    /** P_ref the window was compared against. */
    reference: distribution,
    /** P_mon: the share of the window's samples in each cluster. */
    monitored: distribution,
    js: z.number().min(0).max(1),
    theta: z.number().positive().max(1),
    windowSamples: z.number().int().positive(),
    /** Key of the window's sampled texts in the ADAPTERS bucket (trainer data schema, JSONL), or null when off. */
    windowKey: z.string().min(1).nullable(),
    /** When the window crossed θ, ISO 8601 UTC. */
    at: z.iso.datetime(),
  })
  .refine((t) => t.reference.length === t.monitored.length, {
    message: "reference and monitored must have one share per cluster",
    path: ["monitored"],
  });

export type DriftTrigger = z.infer<typeof DriftTriggerSchema>;

/** Validate untrusted JSON as a trigger. Throws a `ZodError` naming the offending paths. */
export function parseDriftTrigger(json: unknown): DriftTrigger {
  return DriftTriggerSchema.parse(json);
}
