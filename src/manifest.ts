/**
 * The adapter manifest as the worker sees it: read from the ADAPTERS bucket, validated, cached in the isolate for
 * MANIFEST_TTL_MS. A missing or invalid manifest is logged and routes everything to the base model; it never fails
 * a request.
 */
import { createMiddleware } from "hono/factory";
import { type Manifest, parseManifest } from "../adapters/manifest";
import type { Config } from "./config";
import type { AppEnv } from "./types";

interface CacheEntry {
  key: string;
  manifest: Manifest | null;
  expiresAt: number;
}

let cache: CacheEntry | undefined;
let inflight: Promise<Manifest | null> | undefined;

/** Forget the cached manifest (tests, and after this isolate publishes a new one). */
export function clearManifestCache(): void {
  cache = undefined;
  inflight = undefined;
}

/** Load the manifest through the isolate cache; concurrent misses share one R2 read. */
export async function loadManifest(env: Env, config: Config, now = Date.now()): Promise<Manifest | null> {
  const key = config.MANIFEST_KEY;
  if (cache && cache.key === key && cache.expiresAt > now) return cache.manifest;
  inflight ??= readManifest(env.ADAPTERS, key).finally(() => {
    inflight = undefined;
  });
  const manifest = await inflight;
  cache = { key, manifest, expiresAt: now + config.MANIFEST_TTL_MS };
  return manifest;
}

async function readManifest(bucket: R2Bucket, key: string): Promise<Manifest | null> {
  let text: string;
  try {
    const object = await bucket.get(key);
    if (!object) {
      console.warn(`compass: no manifest at ${key}; routing every request to the base model`);
      return null;
    }
    text = await object.text();
  } catch (err) {
    console.warn(`compass: reading manifest ${key} failed; routing to the base model`, err);
    return null;
  }
  try {
    return parseManifest(JSON.parse(text));
  } catch (err) {
    console.warn(`compass: manifest ${key} is invalid; routing every request to the base model`, String(err));
    return null;
  }
}

/** Middleware: puts the manifest in force (or null) on the context as `manifest`. */
export const withManifest = createMiddleware<AppEnv>(async function withManifest(c, next) {
  c.set("manifest", await loadManifest(c.env, c.get("config")));
  await next();
});
