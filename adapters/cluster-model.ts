/**
 * A language's cluster model in sketch space, published by the trainer beside the adapters (key named by the
 * manifest's `clusterModel`). The edge assigns requests to these centroids and compares the live cluster
 * distribution with `reference` (P_ref) against `theta` (METHOD §5–6).
 */
import { z } from "zod";

export const CLUSTER_MODEL_SCHEMA_VERSION = 1;

/** One dense layer of the edge model: out = activation(weights · in + bias), weights `out` rows of `in` floats. */
export const EdgeLayerSchema = z.object({
  weights: z.array(z.array(z.number())).min(1),
  bias: z.array(z.number()),
  activation: z.enum(["none", "relu"]),
});

/**
 * The edge cluster model (trainer: clustering/edge_model.py): a classifier over the sketch embedding that predicts
 * the trainer's own cluster (argmax of the last layer's K scores), learnt where nearest sketch centroid disagrees with
 * the heavy encoder's clustering. Its layers run on the kernels; `onnx` names the same model as an ONNX file, by a
 * key relative to the cluster model's own key (the files of `select`'s output directory are uploaded together).
 */
export const EdgeModelSchema = z.object({
  kind: z.enum(["logreg", "mlp"]),
  layers: z.array(EdgeLayerSchema).min(1),
  onnx: z
    .string()
    .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, "a relative key without '..' segments or a leading '/'")
    .refine((key) => !key.split("/").includes(".."), "a relative key without '..' segments")
    .optional(),
  /** Share of held-out clustered rows the published model puts in the trainer's cluster. */
  heldOutAgreement: z.number().min(0).max(1),
  heldOutRows: z.number().int().positive(),
  /** The same figure for nearest sketch centroid, on the same rows. */
  centroidAgreement: z.number().min(0).max(1).optional(),
});

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
    /** Optional learned assignment; without it the edge assigns to the nearest centroid. */
    edge: EdgeModelSchema.optional(),
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
    if (model.edge) {
      const layers = model.edge.layers;
      let width = model.dim;
      for (const [i, layer] of layers.entries()) {
        if (layer.weights.some((row) => row.length !== width) || layer.bias.length !== layer.weights.length)
          ctx.addIssue({
            code: "custom",
            message: `layer ${i} must map ${width} inputs with one bias per output row`,
            path: ["edge", "layers", i],
          });
        width = layer.weights.length;
      }
      if (width !== model.centroids.length)
        ctx.addIssue({
          code: "custom",
          message: "the last edge layer must score every centroid",
          path: ["edge", "layers"],
        });
    }
    const total = model.reference.reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 1e-6)
      ctx.addIssue({ code: "custom", message: `reference must sum to 1 (sums to ${total})`, path: ["reference"] });
  });

export type ClusterModel = z.infer<typeof ClusterModelSchema>;

export function parseClusterModel(json: unknown): ClusterModel {
  return ClusterModelSchema.parse(json);
}
