/**
 * The manifest in R2, changed only by compare-and-swap: read it with its etag, write the next revision with
 * `onlyIf: { etagMatches }` (or, for the very first manifest, only if none exists), then keep the accepted revision
 * as `manifests/{revision}.json`, the history. The trainer's `store/manifest.py` follows the same contract on S3.
 */

import type { LanguageCode } from "../../adapters/languages";
import { type LanguageEntry, type Manifest, parseManifest } from "../../adapters/manifest";
import type { GuardFigures, RolloutEvent } from "../../adapters/rollout";
import { apiError } from "../errors";
import { clearManifestCache } from "../manifest";
import { applyRollout, type RolloutCommand, type RolloutResult } from "./rollout";

export const historyKey = (revision: number) => `manifests/${revision}.json`;

export interface StoredManifest {
  manifest: Manifest | null;
  etag: string | null;
}

/** Raised when the stored manifest is not valid JSON or not a manifest: no change is built on top of it. */
export class InvalidStoredManifest extends Error {}

/** For the admin API: an invalid stored manifest is a 409 that names the problem, not a 500. */
export async function adminStore<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof InvalidStoredManifest) throw apiError(409, err.message, "invalid_manifest");
    throw err;
  }
}

export async function readStoredManifest(bucket: R2Bucket, key: string): Promise<StoredManifest> {
  const object = await bucket.get(key);
  if (!object) return { manifest: null, etag: null };
  try {
    return { manifest: parseManifest(JSON.parse(await object.text())), etag: object.etag };
  } catch (err) {
    throw new InvalidStoredManifest(`the stored manifest ${key} is invalid: ${String(err).slice(0, 500)}`);
  }
}

/** Write `data` at `key` only if absent. Returns false when the key is taken. */
export async function putNew(bucket: R2Bucket, key: string, data: string): Promise<boolean> {
  const sha256 = await sha256Hex(new TextEncoder().encode(data));
  const put = await bucket.put(key, data, {
    onlyIf: new Headers({ "if-none-match": "*" }),
    sha256,
    httpMetadata: { contentType: "application/json" },
  });
  return put !== null;
}

export async function sha256Hex(data: BufferSource): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const summary = (ref: { name: string; version: string; sha256?: string } | undefined) =>
  ref ? { name: ref.name, version: ref.version, ...(ref.sha256 ? { sha256: ref.sha256 } : {}) } : null;

function stateOf(entry: LanguageEntry | undefined): RolloutEvent["from"] {
  return { stable: summary(entry?.adapter), canary: summary(entry?.canary?.adapter) };
}

export interface ChangeRequest {
  language: LanguageCode;
  action: RolloutEvent["action"];
  actor: RolloutEvent["actor"];
  reason: string;
  /** The new entry from the current one, or a refusal. */
  change: (entry: LanguageEntry | undefined) => RolloutResult;
  /** For the very first manifest: the base model it serves. */
  baseModel?: string;
  figures?: GuardFigures;
  /** What the upstream said when this change's adapters were loaded into it (UPSTREAM_ADAPTER_LOADING=vllm). */
  upstream?: string;
  share?: number;
  now?: Date;
}

export type ChangeOutcome =
  | { kind: "committed"; manifest: Manifest; event: RolloutEvent }
  | { kind: "refused"; result: Extract<RolloutResult, { ok: false }> }
  | { kind: "lost-race" } // another writer changed the manifest between our read and our write
  | { kind: "no-manifest" }; // nothing to change and no base model to start one with

/** One compare-and-swap attempt of a language's entry; the caller decides whether to retry a lost race. */
export async function changeManifest(bucket: R2Bucket, key: string, request: ChangeRequest): Promise<ChangeOutcome> {
  const { manifest: current, etag } = await readStoredManifest(bucket, key);
  if (!current && !request.baseModel) return { kind: "no-manifest" };
  const base: Manifest = current ?? {
    schemaVersion: 1,
    baseModel: request.baseModel as string,
    revision: 0,
    languages: {},
  };
  const revision = base.revision ?? 0;
  if (current && revision > 0) await putNew(bucket, historyKey(revision), JSON.stringify(current, null, 1));
  const before = base.languages[request.language];
  const result = request.change(before);
  if (!result.ok) return { kind: "refused", result };
  const at = (request.now ?? new Date()).toISOString();
  const event: RolloutEvent = {
    revision: revision + 1,
    at,
    language: request.language,
    action: request.action,
    actor: request.actor,
    reason: request.reason,
    from: stateOf(before),
    to: stateOf(result.entry),
    ...(request.share !== undefined ? { share: request.share } : {}),
    ...(request.figures ? { figures: request.figures } : {}),
    ...(request.upstream ? { upstream: request.upstream } : {}),
  };
  const next: Manifest = {
    ...base,
    revision: revision + 1,
    updatedAt: at,
    change: event,
    languages: { ...base.languages, [request.language]: result.entry },
  };
  const body = JSON.stringify(next, null, 1);
  const written = await bucket.put(key, body, {
    onlyIf: etag ? { etagMatches: etag } : new Headers({ "if-none-match": "*" }),
    httpMetadata: { contentType: "application/json" },
  });
  if (written === null) return { kind: "lost-race" };
  await putNew(bucket, historyKey(revision + 1), body);
  clearManifestCache();
  return { kind: "committed", manifest: next, event };
}

/** A rollout command as a manifest change. */
export function rolloutChange(command: RolloutCommand, expectCanary?: string): ChangeRequest["change"] {
  return (entry) => applyRollout(entry, command, expectCanary);
}

/** The recorded changes of `language`, newest first, read back through `manifests/{n}.json` (at most `limit`). */
export async function rolloutHistory(
  bucket: R2Bucket,
  current: Manifest | null,
  language: string,
  limit = 50,
  maxReads = 500,
): Promise<RolloutEvent[]> {
  const events: RolloutEvent[] = [];
  let revision = current?.revision ?? 0;
  for (let reads = 0; revision > 0 && events.length < limit && reads < maxReads; reads++, revision--) {
    const object = await bucket.get(historyKey(revision));
    if (!object) continue;
    const change = (JSON.parse(await object.text()) as Manifest).change;
    if (change?.language === language) events.push(change);
  }
  return events;
}
