/**
 * The adapter manifest as the worker sees it: read from the ADAPTERS bucket, validated language by language, cached in
 * the isolate for MANIFEST_TTL_MS. A missing manifest routes everything to the base model; a refresh that fails (R2
 * error, timeout, invalid file) keeps the last manifest that was good. It never fails a request.
 *
 * Concurrency: workerd forbids one request from awaiting I/O that another request started ("Cannot perform I/O on
 * behalf of a different request"), so the cache holds only plain values. A request that finds the copy stale claims
 * the refresh with a timestamp and reads R2 itself; requests arriving meanwhile keep using the copy they have.
 */
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { LANGUAGES, type LanguageCode } from "../adapters/languages";
import { type LanguageEntry, LanguageEntrySchema, type Manifest, ManifestSchema } from "../adapters/manifest";
import type { Config } from "./config";
import { withTimeout } from "./delivery";
import type { AppEnv } from "./types";

/** How long a missing manifest, or a failed refresh, is trusted before R2 is asked again (capped by the TTL). */
export const NEGATIVE_TTL_MS = 5_000;
/** Longest an R2 read of the manifest may take; past it the refresh counts as failed. */
export const MANIFEST_READ_TIMEOUT_MS = 5_000;
/** A manifest names a few adapters per language: anything larger is not one. */
export const MANIFEST_MAX_BYTES = 1_048_576;

interface CacheEntry {
  key: string;
  /** The manifest in force: null when none has ever been good (or the object is gone). */
  manifest: Manifest | null;
  expiresAt: number;
}

let cache: CacheEntry | undefined;
/** When a request claimed the refresh of a stale entry (0: nobody); a claim older than the read timeout lapses. */
let refreshClaimedAt = 0;

/** Forget the cached manifest (tests, and after this isolate publishes a new one). */
export function clearManifestCache(): void {
  cache = undefined;
  refreshClaimedAt = 0;
}

/** The outcome of one read: a manifest, authoritative absence, or a failure (keep what we had). */
type ReadOutcome = { kind: "ok"; manifest: Manifest } | { kind: "missing" } | { kind: "failed" };

/** Load the manifest in force through the isolate cache. */
export async function loadManifest(env: Env, config: Config): Promise<Manifest | null> {
  const key = config.MANIFEST_KEY;
  const now = Date.now();
  const entry = cache?.key === key ? cache : undefined;
  if (entry && entry.expiresAt > now) return entry.manifest;
  // Someone else is refreshing a copy we already have: serve that copy rather than read R2 a second time.
  if (entry && now - refreshClaimedAt < MANIFEST_READ_TIMEOUT_MS) return entry.manifest;
  refreshClaimedAt = now;
  const outcome = await readManifest(env.ADAPTERS, key);
  // The expiry counts from when the read finished, not from when this request started waiting for it.
  const done = Date.now();
  const negativeTtl = Math.min(NEGATIVE_TTL_MS, config.MANIFEST_TTL_MS);
  const current = cache?.key === key ? cache.manifest : null;
  cache =
    outcome.kind === "ok"
      ? { key, manifest: outcome.manifest, expiresAt: done + config.MANIFEST_TTL_MS }
      : outcome.kind === "missing"
        ? { key, manifest: null, expiresAt: done + negativeTtl }
        : { key, manifest: current, expiresAt: done + negativeTtl };
  refreshClaimedAt = 0;
  return cache.manifest;
}

async function readManifest(bucket: R2Bucket, key: string): Promise<ReadOutcome> {
  let text: string;
  try {
    const object = await withTimeout(bucket.get(key), MANIFEST_READ_TIMEOUT_MS);
    if (!object) {
      console.warn(`compass: no manifest at ${key}; routing every request to the base model`);
      return { kind: "missing" };
    }
    if (object.size > MANIFEST_MAX_BYTES) {
      await object.body.cancel();
      console.error(`compass: manifest ${key} is ${object.size} bytes (over ${MANIFEST_MAX_BYTES}); keeping the last`);
      return { kind: "failed" };
    }
    text = await withTimeout(object.text(), MANIFEST_READ_TIMEOUT_MS);
  } catch (err) {
    console.error(`compass: reading manifest ${key} failed; keeping the last good one`, String(err));
    return { kind: "failed" };
  }
  try {
    return { kind: "ok", manifest: parseManifestPerLanguage(JSON.parse(text), key) };
  } catch (err) {
    console.error(`compass: manifest ${key} is invalid; keeping the last good one`, String(err));
    return { kind: "failed" };
  }
}

/** The manifest's envelope with each language entry left unchecked, so that entries are validated one by one. */
const ManifestEnvelopeSchema = ManifestSchema.extend({ languages: z.record(z.string(), z.unknown()) });
const KNOWN_LANGUAGES: ReadonlySet<string> = new Set(LANGUAGES);

/**
 * Validate a manifest language by language: a bad envelope (schema version, base model) throws, but one bad entry
 * (or an unknown language code) is logged and leaves only that language on the base model.
 */
export function parseManifestPerLanguage(json: unknown, key = "manifest"): Manifest {
  const envelope = ManifestEnvelopeSchema.parse(json);
  const languages: Partial<Record<LanguageCode, LanguageEntry>> = {};
  for (const [language, raw] of Object.entries(envelope.languages)) {
    if (!KNOWN_LANGUAGES.has(language)) {
      console.error(`compass: manifest ${key}: unknown language code ${JSON.stringify(language)} ignored`);
      continue;
    }
    const entry = LanguageEntrySchema.safeParse(raw);
    if (entry.success) languages[language as LanguageCode] = entry.data;
    else
      console.error(
        `compass: manifest ${key}: entry ${language} is invalid, ${language} goes to the base model:`,
        entry.error.issues.map((issue) => `${issue.path.join(".") || language}: ${issue.message}`).join("; "),
      );
  }
  return { ...envelope, languages };
}

/** Middleware: puts the manifest in force (or null) on the context as `manifest`. */
export const withManifest = createMiddleware<AppEnv>(async function withManifest(c, next) {
  c.set("manifest", await loadManifest(c.env, c.get("config")));
  await next();
});
