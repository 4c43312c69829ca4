/**
 * `/admin/adapters/…`: publishing adapter versions through the worker, for setups without S3 credentials.
 *
 * - `PUT  /admin/adapters/{language}/{name}/{version}/{file}` with `x-compass-sha256`: one file, create-only, stored
 *   with its SHA-256 (R2 rejects bytes that do not match). 201 created, 200 `exists` when identical bytes are already
 *   there (a resumed publish), 409 when other bytes are.
 * - Large files by R2 multipart upload: `POST …/{file}?uploads` (with `x-compass-sha256`) → `uploadId`;
 *   `PUT …/{file}?uploadId=…&partNumber=n` per part; `POST …/{file}?uploadId=…` with `{parts}` completes: the parts
 *   are assembled under a staging key, then written to the file's key create-only with their SHA-256 (R2 rejects
 *   bytes that do not match): 201 created, 200 `exists` for identical bytes, 409 for other bytes.
 * - `POST /admin/adapters/{language}/{name}/{version}` with the version record: every file is checked against the
 *   stored objects' checksums, `version.json` is written create-only, and a language's first version becomes stable.
 */
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import { isLanguageCode, type LanguageCode } from "../../adapters/languages";
import {
  ADAPTER_FILES,
  ADAPTER_NAME,
  VERSION_NAME,
  VERSION_RECORD,
  type VersionRecord,
  VersionRecordSchema,
  versionPrefix,
} from "../../adapters/registry";
import { apiError } from "../errors";
import { requireAdmin } from "../middleware/auth";
import { requireJson } from "../middleware/json";
import { adminStore, changeManifest, putNew, readStoredManifest } from "../registry/manifest-store";
import { applyRollout } from "../registry/rollout";
import { ensureUpstreamHas } from "../registry/upstream-load";
import type { AppEnv } from "../types";
import { validationHook } from "./validation";

/** One request body (a whole file or one multipart part) is held in memory: at most this many bytes. */
export const MAX_UPLOAD_PART_BYTES = 32 * 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The SHA-256 R2 holds for an object: its checksum, or for a multipart object the one verified at completion. */
export function storedSha256(object: R2Object): string | null {
  if (object.checksums.sha256) return hex(object.checksums.sha256);
  return object.customMetadata?.sha256 ?? null;
}

interface Target {
  language: LanguageCode;
  name: string;
  version: string;
  prefix: string;
}

function target(c: Context<AppEnv>): Target {
  const { language, name, version } = c.req.param() as Record<string, string>;
  if (!language || !isLanguageCode(language))
    throw apiError(400, `unknown language '${language}'`, "invalid_language", "invalid_request_error", "language");
  if (!name || !ADAPTER_NAME.test(name))
    throw apiError(400, "adapter names are 1-128 of [A-Za-z0-9._-]", "invalid_name", "invalid_request_error", "name");
  if (!version || !VERSION_NAME.test(version))
    throw apiError(400, "versions are 1-64 of [A-Za-z0-9._-]", "invalid_version", "invalid_request_error", "version");
  return { language, name, version, prefix: versionPrefix(language, name, version) };
}

function fileKey(c: Context<AppEnv>): string {
  const file = c.req.param("file") ?? "";
  if (!(ADAPTER_FILES as readonly string[]).includes(file))
    throw apiError(
      400,
      `'${file}' is not an adapter file (${ADAPTER_FILES.join(", ")})`,
      "invalid_file",
      "invalid_request_error",
      "file",
    );
  return target(c).prefix + file;
}

function claimedSha256(c: Context<AppEnv>): string {
  const sha = c.req.header("x-compass-sha256") ?? "";
  if (!SHA256.test(sha))
    throw apiError(
      400,
      "x-compass-sha256 must be the body's lowercase hex SHA-256",
      "missing_sha256",
      "invalid_request_error",
      "x-compass-sha256",
    );
  return sha;
}

async function boundedBody(c: Context<AppEnv>): Promise<ArrayBuffer> {
  const length = Number(c.req.header("content-length"));
  if (!Number.isInteger(length)) throw apiError(411, "uploads need a content-length", "length_required");
  if (length > MAX_UPLOAD_PART_BYTES)
    throw apiError(
      413,
      `one upload (or part) is at most ${MAX_UPLOAD_PART_BYTES} bytes: use multipart (?uploads)`,
      "payload_too_large",
    );
  const body = await c.req.arrayBuffer();
  if (body.byteLength !== length) throw apiError(400, "the body is shorter than its content-length", "truncated_body");
  return body;
}

/** 200 `exists` when `key` holds an object with `sha256`; 409 when it holds another; null when absent. */
async function existing(bucket: R2Bucket, key: string, sha256: string) {
  const head = await bucket.head(key);
  if (!head) return null;
  if (storedSha256(head) === sha256) return { status: "exists" as const, key, sha256, bytes: head.size };
  throw apiError(409, `${key} is already published with other content (versions are immutable)`, "already_exists");
}

const uploadFile = async (c: Context<AppEnv>) => {
  const key = fileKey(c);
  const uploadId = c.req.query("uploadId");
  if (uploadId) {
    const partNumber = Number(c.req.query("partNumber"));
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000)
      throw apiError(400, "partNumber must be 1-10000", "invalid_part_number", "invalid_request_error", "partNumber");
    const part = await resumeUpload(c.env.ADAPTERS, uploadId).upload.uploadPart(partNumber, await boundedBody(c));
    return c.json({ partNumber: part.partNumber, etag: part.etag });
  }
  const sha256 = claimedSha256(c);
  const body = await boundedBody(c);
  let put: R2Object | null;
  try {
    put = await c.env.ADAPTERS.put(key, body, { sha256, onlyIf: new Headers({ "if-none-match": "*" }) });
  } catch (err) {
    // R2 refuses a put whose bytes do not hash to the stated sha256.
    throw apiError(
      400,
      `${key}: the bytes received do not match x-compass-sha256 (${String(err).slice(0, 200)})`,
      "checksum_mismatch",
    );
  }
  if (put === null) return c.json(await existing(c.env.ADAPTERS, key, sha256), 200);
  return c.json({ status: "created", key, sha256, bytes: put.size }, 201);
};

/**
 * A multipart upload is assembled under its own key `uploads/{uuid}` and only then written to the version's key, by
 * one create-only put with its SHA-256 (`onlyIf` If-None-Match, R2 `sha256`): R2 completes a multipart upload
 * unconditionally, so assembling at the final key would let two concurrent uploads of one file both pass an existence
 * check and the later completion overwrite the earlier. The client's `uploadId` is `{uuid}.{R2 upload id}`.
 */
const UPLOAD_PREFIX = "uploads/";
const UPLOAD_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(.+)$/;

function resumeUpload(bucket: R2Bucket, uploadId: string): { upload: R2MultipartUpload; stagingKey: string } {
  const match = UPLOAD_ID.exec(uploadId);
  if (!match) throw apiError(400, "unknown uploadId", "invalid_multipart", "invalid_request_error", "uploadId");
  const stagingKey = UPLOAD_PREFIX + match[1];
  return { upload: bucket.resumeMultipartUpload(stagingKey, match[2] as string), stagingKey };
}

const multipart = async (c: Context<AppEnv>) => {
  const key = fileKey(c);
  const bucket = c.env.ADAPTERS;
  if (c.req.query("uploads") !== undefined) {
    const sha256 = claimedSha256(c);
    const found = await existing(bucket, key, sha256);
    if (found) return c.json(found, 200);
    const staging = crypto.randomUUID();
    const upload = await bucket.createMultipartUpload(UPLOAD_PREFIX + staging, { customMetadata: { sha256, key } });
    return c.json({ uploadId: `${staging}.${upload.uploadId}`, key });
  }
  const uploadId = c.req.query("uploadId");
  if (!uploadId) throw apiError(400, "expected ?uploads or ?uploadId=…", "invalid_multipart");
  const body = (await c.req.json().catch(() => null)) as { parts?: R2UploadedPart[] } | null;
  if (!Array.isArray(body?.parts) || body.parts.length === 0)
    throw apiError(
      400,
      'complete with {"parts": [{"partNumber", "etag"}, …]}',
      "invalid_multipart",
      "invalid_request_error",
      "parts",
    );
  const { upload, stagingKey } = resumeUpload(bucket, uploadId);
  const assembled = await upload.complete(body.parts);
  try {
    const claimed = assembled.customMetadata?.sha256 ?? "";
    if (assembled.customMetadata?.key !== key)
      throw apiError(
        400,
        `this upload was started for ${assembled.customMetadata?.key}, not ${key}`,
        "invalid_multipart",
      );
    const staged = await bucket.get(stagingKey);
    if (!staged) throw apiError(500, `${stagingKey} vanished after completion`, "storage_error", "server_error");
    let put: R2Object | null;
    try {
      put = await bucket.put(key, staged.body, { sha256: claimed, onlyIf: new Headers({ "if-none-match": "*" }) });
    } catch (err) {
      // R2 refuses a put whose bytes do not hash to the stated sha256.
      throw apiError(
        400,
        `${key}: the assembled object does not hash to the stated ${claimed} (${String(err).slice(0, 200)})`,
        "checksum_mismatch",
      );
    }
    if (put === null) return c.json(await existing(bucket, key, claimed), 200);
    return c.json({ status: "created", key, sha256: claimed, bytes: put.size }, 201);
  } finally {
    await bucket.delete(stagingKey);
  }
};

async function register(c: Context<AppEnv>, record: VersionRecord) {
  const t = target(c);
  if (record.language !== t.language || record.name !== t.name || record.version !== t.version)
    throw apiError(400, "the record's language, name and version must match the path", "record_mismatch");
  const bucket = c.env.ADAPTERS;
  for (const [file, expected] of Object.entries(record.files)) {
    const head = await bucket.head(t.prefix + file);
    if (!head)
      throw apiError(400, `${t.prefix}${file} was not uploaded`, "missing_file", "invalid_request_error", file);
    const stored = storedSha256(head);
    if (stored !== expected.sha256 || head.size !== expected.bytes)
      throw apiError(
        400,
        `${t.prefix}${file}: stored sha256 ${stored} (${head.size} bytes) does not match the record's ${expected.sha256} (${expected.bytes} bytes)`,
        "checksum_mismatch",
        "invalid_request_error",
        file,
      );
  }
  const recordKey = t.prefix + VERSION_RECORD;
  if (!(await putNew(bucket, recordKey, JSON.stringify(record, null, 1)))) {
    const current = await bucket.get(recordKey);
    const same = current && JSON.stringify(VersionRecordSchema.parse(await current.json())) === JSON.stringify(record);
    if (!same)
      throw apiError(409, `${recordKey} exists with another record (versions are immutable)`, "already_exists");
  }
  const { manifest } = await adminStore(readStoredManifest(bucket, c.get("config").MANIFEST_KEY));
  if (manifest && manifest.baseModel !== record.baseModel)
    throw apiError(
      409,
      `the manifest serves base model '${manifest.baseModel}'; this adapter is for '${record.baseModel}'`,
      "base_model_mismatch",
    );
  if (manifest?.languages[t.language]?.adapter)
    return c.json({ record, activated: null, revision: manifest.revision ?? null });
  const adapter = { name: t.name, version: t.version, path: t.prefix, sha256: record.adapterSha256 };
  const load = await ensureUpstreamHas(c.get("config"), adapter);
  if (!load.ok) throw apiError(502, load.message, "upstream_refused_adapter", "upstream_error");
  const outcome = await adminStore(
    changeManifest(bucket, c.get("config").MANIFEST_KEY, {
      language: t.language,
      action: "publish",
      actor: "admin",
      reason: "first published version becomes stable",
      baseModel: record.baseModel,
      change: (entry) => applyRollout(entry, { action: "publish", adapter }),
    }),
  );
  if (outcome.kind === "lost-race")
    throw apiError(409, "the manifest changed while this version was registered; retry", "manifest_changed");
  if (outcome.kind !== "committed") return c.json({ record, activated: null, revision: manifest?.revision ?? null });
  return c.json({ record, activated: "stable", revision: outcome.manifest.revision }, 201);
}

export const adminAdapters = new Hono<AppEnv>()
  .use("/admin/adapters/*", requireAdmin)
  .put("/admin/adapters/:language/:name/:version/:file", uploadFile)
  .post("/admin/adapters/:language/:name/:version/:file", multipart)
  .post(
    "/admin/adapters/:language/:name/:version",
    requireJson,
    zValidator("json", VersionRecordSchema, validationHook),
    (c) => register(c, c.req.valid("json")),
  );
