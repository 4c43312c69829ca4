/**
 * The adapter manifest: which adapter serves each language, stored as `manifest.json` in the ADAPTERS bucket (R2,
 * or any S3-compatible store). The trainer publishes adapters under immutable keys; the manifest only points at them,
 * so rolling forward or back is one manifest write.
 *
 * Schema version 1:
 * ```json
 * { "schemaVersion": 1, "baseModel": "meta-llama/Llama-3.1-8B-Instruct",
 *   "languages": { "sw": { "adapter": { "name": "compass-sw", "version": "3" },
 *                          "canary": { "adapter": { "name": "compass-sw-v4", "version": "4" }, "share": 0.1 },
 *                          "clusterModel": "clusters/sw/3.json" },
 *                  "yo": { "targetOnly": { "name": "target-yo", "version": "1" } } } }
 * ```
 */
import { z } from "zod";
import { LANGUAGES } from "./languages";
import { GuardPolicySchema, RolloutEventSchema } from "./rollout";

export const MANIFEST_SCHEMA_VERSION = 1;

/** Adapter names travel as OpenAI `model` names and Workers AI `lora` names: keep them URL- and path-safe. */
const adapterName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "adapter names are 1-128 of [A-Za-z0-9._-]");

export const AdapterRefSchema = z.object({
  name: adapterName,
  version: z.string().min(1),
  /** Key prefix of the PEFT files (adapter_config.json, adapter_model.safetensors) in the bucket. */
  path: z.string().optional(),
  /**
   * Hex SHA-256 of adapter_model.safetensors, as stored with the object when it was published. The worker routes only
   * to adapters whose sha256 the manifest states (src/route.ts); the rollout checks it against the stored object.
   */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

/** How many earlier stable adapters a language keeps for `rollback`. */
export const PREVIOUS_STABLE_KEPT = 10;

export const LanguageEntrySchema = z
  .object({
    /** The COMPASS adapter (target data plus selected auxiliary data). */
    adapter: AdapterRefSchema.optional(),
    /** Adapter trained on the target data alone: used when the language has no COMPASS adapter (METHOD §4). */
    targetOnly: AdapterRefSchema.optional(),
    /** A newer adapter receiving `share` of this language's traffic, judged by the canary guard. */
    canary: z
      .object({
        adapter: AdapterRefSchema,
        share: z.number().min(0).max(1),
        /** The guard promotes after this many clean canary requests; without it only an operator promotes. */
        autoPromoteAfter: z.number().int().positive().optional(),
        /** Guard thresholds other than the defaults (src/registry/guard.ts) for this canary. */
        guard: GuardPolicySchema.omit({ autoPromoteAfter: true }).partial().optional(),
        startedAt: z.string().optional(),
      })
      .optional(),
    /** Earlier stable adapters, oldest first (at most PREVIOUS_STABLE_KEPT): `rollback` restores the last one. */
    previous: z.array(AdapterRefSchema).max(PREVIOUS_STABLE_KEPT).optional(),
    /** Key of this language's sketch-space cluster model in the bucket. */
    clusterModel: z.string().optional(),
  })
  .refine((entry) => !entry.canary || entry.adapter, { message: "a canary needs a stable adapter beside it" });

export const ManifestSchema = z.object({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  baseModel: z.string().min(1),
  updatedAt: z.string().optional(),
  /** Incremented by every accepted change; the manifest is also kept as `manifests/{revision}.json`. */
  revision: z.number().int().nonnegative().optional(),
  /** The change that produced this revision. */
  change: RolloutEventSchema.optional(),
  /** Keyed by compass's canonical language codes (adapters/languages.ts). */
  languages: z.partialRecord(z.enum(LANGUAGES), LanguageEntrySchema),
});

export type AdapterRef = z.infer<typeof AdapterRefSchema>;
export type LanguageEntry = z.infer<typeof LanguageEntrySchema>;
export type Manifest = z.infer<typeof ManifestSchema>;

/** Validate untrusted JSON as a manifest. Throws a `ZodError` naming the offending paths. */
export function parseManifest(json: unknown): Manifest {
  return ManifestSchema.parse(json);
}

/**
 * The bucket key of a language's sketch-space cluster model: the entry's own `clusterModel` when it names one, else
 * the `cluster_model.json` published beside the stable adapter's PEFT files. So the drift telemetry follows the
 * adapter in force: a promoted version brings its updated centroids, reference and θ, and the windows restart.
 */
export function clusterModelKey(entry: LanguageEntry | undefined): string | undefined {
  if (entry?.clusterModel) return entry.clusterModel;
  const path = entry?.adapter?.path;
  return path ? `${path.endsWith("/") ? path : `${path}/`}cluster_model.json` : undefined;
}
