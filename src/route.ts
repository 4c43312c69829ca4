/**
 * Adapter choice (METHOD §4): the language's COMPASS adapter (or its canary, for the canary's share of traffic); else
 * its target-only adapter; else the base model. Unknown or low-confidence languages go to the base model.
 */

import type { LanguageCode } from "../adapters/languages";
import type { AdapterRef, Manifest } from "../adapters/manifest";
import type { Detection } from "./lid/detect";

export type RouteReason =
  | "adapter" // the language's COMPASS adapter
  | "canary" // the language's canary adapter, for its share of traffic
  | "target-only" // no COMPASS adapter; the language's target-only adapter
  | "no-adapter" // language known, but the manifest has nothing for it
  | "unverified-adapter" // the manifest names an adapter without its sha256: never routed to
  | "client-model" // the request's `model` named an adapter or the base model explicitly
  | "no-text" // the user turns hold no text (images only): nothing to identify
  | "low-confidence" // LID confidence under LID_MIN_CONFIDENCE
  | "unknown-language" // no language detected (none of the candidates fits)
  | "nothing-to-identify" // nothing in a language was left once code, placeholders, URLs, numbers were removed
  | "no-manifest"; // manifest missing or invalid

export interface RouteDecision {
  language: LanguageCode | null;
  confidence: number;
  /** Adapter name to serve with, or null for the base model. */
  adapter: string | null;
  adapterVersion: string | null;
  /** The model the upstream is asked for: the base model id. */
  baseModel: string;
  reason: RouteReason;
}

export interface RouteOptions {
  minConfidence: number;
  /** Fallback base model when no manifest is in force. */
  defaultBaseModel: string;
  /** A number in [0,1) deciding canary membership; sticky per client when derived from a stable key. */
  canaryDraw: number;
}

/** Decide where a request goes. Pure: all inputs are arguments. */
export function decideRoute(detection: Detection, manifest: Manifest | null, options: RouteOptions): RouteDecision {
  const baseModel = manifest?.baseModel ?? options.defaultBaseModel;
  const base = (reason: RouteReason): RouteDecision => ({
    language: detection.language,
    confidence: detection.confidence,
    adapter: null,
    adapterVersion: null,
    baseModel,
    reason,
  });
  if (!manifest) return base("no-manifest");
  if (!detection.language) return base(detection.empty ? "nothing-to-identify" : "unknown-language");
  if (detection.confidence < options.minConfidence) return base("low-confidence");

  const entry = manifest.languages[detection.language];
  const pick = (ref: AdapterRef, reason: RouteReason): RouteDecision => ({
    ...base(reason),
    adapter: ref.name,
    adapterVersion: ref.version,
  });
  // An adapter is served only when the manifest states its sha256 (published through the registry, which checked the
  // stored object against it): a hand-edited or forged entry without one falls back to the base model.
  const verified = (ref: AdapterRef | undefined): ref is AdapterRef => ref?.sha256 !== undefined;
  if (entry?.adapter) {
    if (entry.canary && verified(entry.canary.adapter) && options.canaryDraw < entry.canary.share)
      return pick(entry.canary.adapter, "canary");
    return verified(entry.adapter) ? pick(entry.adapter, "adapter") : base("unverified-adapter");
  }
  if (entry?.targetOnly)
    return verified(entry.targetOnly) ? pick(entry.targetOnly, "target-only") : base("unverified-adapter");
  return base("no-adapter");
}

/** What a request's `model` asks for. */
export type ModelChoice =
  | { kind: "route" } // absent, or one of MODEL_ALIASES: route by language
  | { kind: "named"; adapter: AdapterRef | null } // an adapter the manifest names, or the base model (null)
  | { kind: "unknown" }; // anything else: 404 model_not_found

// Adapter names of each manifest object, indexed once (a manifest is immutable once parsed).
const adapterIndex = new WeakMap<Manifest, Map<string, AdapterRef>>();

function adaptersOf(manifest: Manifest): Map<string, AdapterRef> {
  let index = adapterIndex.get(manifest);
  if (!index) {
    index = new Map();
    for (const entry of Object.values(manifest.languages)) {
      // Only adapters whose sha256 the manifest states can be named, as only they are routed to.
      for (const ref of [entry?.adapter, entry?.targetOnly, entry?.canary?.adapter])
        if (ref?.sha256 && !index.has(ref.name)) index.set(ref.name, ref);
    }
    adapterIndex.set(manifest, index);
  }
  return index;
}

/**
 * Resolve a request's `model`: aliases (checked first, so a deployment may list its base model's id among them) route
 * by language; an adapter the manifest names, or the base model's id, is an explicit choice; other names are unknown.
 */
export function resolveModel(
  model: string | null | undefined,
  manifest: Manifest | null,
  aliases: readonly string[],
  defaultBaseModel: string,
): ModelChoice {
  if (model == null || model === "" || aliases.includes(model)) return { kind: "route" };
  if (model === (manifest?.baseModel ?? defaultBaseModel)) return { kind: "named", adapter: null };
  const ref = manifest ? adaptersOf(manifest).get(model) : undefined;
  return ref ? { kind: "named", adapter: ref } : { kind: "unknown" };
}

/** The decision for an explicit model choice: the named adapter (or base model), LID kept for reporting. */
export function namedModelDecision(
  detection: Detection,
  adapter: AdapterRef | null,
  manifest: Manifest | null,
  defaultBaseModel: string,
): RouteDecision {
  return {
    language: detection.language,
    confidence: detection.confidence,
    adapter: adapter?.name ?? null,
    adapterVersion: adapter?.version ?? null,
    baseModel: manifest?.baseModel ?? defaultBaseModel,
    reason: "client-model",
  };
}

/**
 * Map a stickiness key (e.g. a user id) to [0,1) with FNV-1a, so that one client stays on one side of a canary.
 * Without a key every request draws afresh.
 */
export function canaryDraw(key: string | undefined): number {
  if (!key) return Math.random();
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}

/** Response headers that report a decision on every routed response. */
export function decisionHeaders(decision: RouteDecision): Record<string, string> {
  return {
    "x-compass-language": decision.language ?? "unknown",
    "x-compass-confidence": decision.confidence.toFixed(3),
    "x-compass-adapter": decision.adapter ?? "base",
    "x-compass-reason": decision.reason,
  };
}
