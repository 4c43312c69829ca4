/**
 * The adapter registry's layout, shared with the trainer (`trainer/compass_trainer/publish.py`): every published
 * version is immutable at `adapters/{language}/{name}/{version}/`, holding the PEFT files, compass's metadata, the
 * cluster model and a model card, each object stored with its SHA-256; `version.json` (the record below) is written
 * last, so its presence means the version is complete.
 */
import { z } from "zod";

/** The files a version may hold; the first three are required. */
export const REQUIRED_FILES = ["adapter_config.json", "adapter_model.safetensors", "compass_adapter.json"] as const;
export const ADAPTER_FILES = [...REQUIRED_FILES, "cluster_model.json", "anchors.jsonl", "README.md"] as const;
export type AdapterFile = (typeof ADAPTER_FILES)[number];
export const VERSION_RECORD = "version.json";

export const ADAPTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const VERSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "a lowercase hex SHA-256");

export const VersionRecordSchema = z
  .object({
    schemaVersion: z.literal(1),
    language: z.string(),
    name: z.string().regex(ADAPTER_NAME),
    version: z.string().regex(VERSION_NAME),
    baseModel: z.string().min(1),
    method: z.string().nullable().optional(),
    /** SHA-256 of adapter_model.safetensors: what the manifest entry carries. */
    adapterSha256: sha256,
    files: z.partialRecord(z.enum(ADAPTER_FILES), z.object({ sha256, bytes: z.number().int().nonnegative() })),
  })
  .superRefine((record, ctx) => {
    for (const file of REQUIRED_FILES)
      if (!record.files[file]) ctx.addIssue({ code: "custom", message: `${file} is required`, path: ["files", file] });
    if (record.files["adapter_model.safetensors"]?.sha256 !== record.adapterSha256)
      ctx.addIssue({
        code: "custom",
        message: "adapterSha256 must be the sha256 of adapter_model.safetensors",
        path: ["adapterSha256"],
      });
  });

export type VersionRecord = z.infer<typeof VersionRecordSchema>;

export const versionPrefix = (language: string, name: string, version: string) =>
  `adapters/${language}/${name}/${version}/`;
