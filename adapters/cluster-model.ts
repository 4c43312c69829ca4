/**
 * A language's cluster model in sketch space, published by the trainer beside the adapters (key named by the
 * manifest's `clusterModel`). The edge assigns requests to these centroids and compares the live cluster
 * distribution with `reference` (P_ref) against `theta` (METHOD §5–6).
 */
import { z } from "zod";

export const CLUSTER_MODEL_SCHEMA_VERSION = 1;

export const ClusterModelSchema = z
  .object({
    schemaVersion: z.literal(CLUSTER_MODEL_SCHEMA_VERSION),
    language: z.string(),
    version: z.string().min(1),
    /** The sketch encoder the centroids live in (docs/sketch-encoder.md). */
    encoder: z.literal("compass-sketch-v1"),
    dim: z.number().int().positive(),
    /** K rows of `dim` floats, each L2-normalised. */
    centroids: z.array(z.array(z.number())).min(1),
    /** P_ref over the K clusters: non-negative, summing to 1. */
    reference: z.array(z.number().nonnegative()),
    /** JS-divergence threshold that triggers an update. */
    theta: z.number().positive().max(1),
  })
  .superRefine((model, ctx) => {
    if (model.centroids.some((row) => row.length !== model.dim))
      ctx.addIssue({
        code: "custom",
        message: `every centroid must have dim=${model.dim} values`,
        path: ["centroids"],
      });
    if (model.reference.length !== model.centroids.length)
      ctx.addIssue({ code: "custom", message: "reference must have one weight per centroid", path: ["reference"] });
    const total = model.reference.reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 1e-6)
      ctx.addIssue({ code: "custom", message: `reference must sum to 1 (sums to ${total})`, path: ["reference"] });
  });

export type ClusterModel = z.infer<typeof ClusterModelSchema>;

export function parseClusterModel(json: unknown): ClusterModel {
  return ClusterModelSchema.parse(json);
}
