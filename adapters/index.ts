/**
 * The contracts the edge and the trainer share, by file name. `npm run schemas` writes each as JSON Schema to
 * `adapters/schema/{name}.schema.json` (and the trainer's packaged copy), and `npm test` fails when they are stale.
 * Add a contract here and it is generated, checked and available to the trainer's `contracts.validate(name, …)`.
 */
import type { z } from "zod";
import { ClusterModelSchema } from "./cluster-model";
import { ManifestSchema } from "./manifest";
import { VersionRecordSchema } from "./registry";
import { RolloutRequestSchema } from "./rollout";
import { DriftTriggerSchema } from "./trigger";

export const CONTRACTS: Record<string, z.ZodType> = {
  manifest: ManifestSchema,
  "cluster-model": ClusterModelSchema,
  "version-record": VersionRecordSchema,
  "rollout-request": RolloutRequestSchema,
  "drift-trigger": DriftTriggerSchema,
};
