/**
 * Drift telemetry on the request path, off the latency path (METHOD §6): each routed request whose language has a
 * cluster model is sketch-embedded, assigned to its cluster as /v1/route assigns it (the model's learnt edge layers,
 * else the nearest centroid; WASM kernels) and counted for its (language, region, cluster-model version) inside
 * `ctx.waitUntil`. An isolate buffers the assignments and flushes them in batches to the `DriftWindow` objects, so an
 * object receives one call per batch rather than one per request.
 *
 * **[choice] Batching:** a flush every `FLUSH_EVERY` = 100 buffered assignments or `FLUSH_AFTER_MS` = 2,000 ms after
 * the first one, whichever comes first. An isolate that dies with a buffer loses at most 99 assignments (the
 * request's `waitUntil` keeps it alive through the 2 s timer, so this takes an eviction in between); a batch whose
 * three delivery attempts all fail is dropped with a warning naming its size. Retries reuse the batch id, which the
 * object applies once.
 */
import type { Context } from "hono";
import type { LanguageCode } from "../../adapters/languages";
import { clusterModelKey, type Manifest } from "../../adapters/manifest";
import { RegionSchema } from "../../adapters/trigger";
import { assignCluster, loadClusterModel } from "../cluster";
import type { Config } from "../config";
import { deliverWithRetries } from "../delivery";
import type { RouteDecision } from "../route";
import type { AppEnv } from "../types";
import { DriftBuffer } from "./buffer";
import type { DriftBatch, RecordResult } from "./window.do";

export const FLUSH_EVERY = 100;
export const FLUSH_AFTER_MS = 2_000;

/** Header that names the region when `TRUST_REGION_HEADER` is "true" (local development, demos, tests). */
export const REGION_HEADER = "x-compass-region";

/** The drift telemetry's part of the worker's configuration (src/config.ts). */
export type DriftSettings = Pick<
  Config,
  "DRIFT_TELEMETRY" | "DRIFT_REGION_BY" | "TRUST_REGION_HEADER" | "DRIFT_SAMPLE_TEXTS"
>;

/**
 * The request's region: `request.cf`'s colo, country or continent, lowercased; `local` without `cf` (wrangler dev,
 * tests); the `x-compass-region` header instead when it is trusted and well-formed. Pure.
 */
export function regionOf(
  cf: { colo?: unknown; country?: unknown; continent?: unknown } | undefined,
  header: string | undefined,
  settings: Pick<DriftSettings, "DRIFT_REGION_BY" | "TRUST_REGION_HEADER">,
): string {
  if (settings.TRUST_REGION_HEADER && header !== undefined) {
    const named = header.trim().toLowerCase();
    // `all` names the per-language rollup; a client cannot pose as it.
    if (named !== "all" && RegionSchema.safeParse(named).success) return named;
  }
  const value = cf?.[settings.DRIFT_REGION_BY];
  if (typeof value !== "string") return "local";
  const region = value.trim().toLowerCase();
  return RegionSchema.safeParse(region).success ? region : "local";
}

/** Deliver batches to their (language, region) objects and the language's rollup; never throws. */
export async function flushBatches(
  namespace: DurableObjectNamespace<import("./window.do").DriftWindow>,
  batches: DriftBatch[],
) {
  await Promise.all(
    batches.map(async (batch) => {
      const region = namespace.get(namespace.idFromName(`${batch.language}:${batch.region}`));
      const rollup = namespace.get(namespace.idFromName(`${batch.language}:all`));
      await Promise.all([
        deliver(() => region.record(batch, "region"), batch, batch.region),
        deliver(() => rollup.record(batch, "all"), batch, "all"),
      ]);
    }),
  );
}

async function deliver(call: () => Promise<RecordResult>, batch: DriftBatch, target: string): Promise<void> {
  const delivered = await deliverWithRetries(call);
  if ("lost" in delivered)
    console.warn(
      `compass: drift batch ${batch.id} (${batch.clusters.length} assignments, ${batch.language}/${target}) lost`,
      String(delivered.lost),
    );
  else if (delivered.answer.rejected)
    console.warn(
      `compass: drift batch ${batch.id} refused by ${batch.language}/${target}: ${delivered.answer.rejected}`,
    );
}

const buffer = new DriftBuffer(FLUSH_EVERY);
let timerArmed = false;

/**
 * Assign `text` to its cluster and buffer it, flushing when due. Resolves when this call's share of the work (and a
 * flush it started) is done; rejects only on a bug, which the caller logs.
 */
export async function recordAssignment(
  env: Env,
  settings: DriftSettings,
  manifest: Manifest | null,
  language: LanguageCode,
  region: string,
  text: string,
  schedule: (work: Promise<void>) => void,
): Promise<void> {
  // The same assignment /v1/route reports (the learnt edge model, else the nearest centroid). A missing or malformed
  // cluster model is warned about once per retry interval and skips telemetry.
  const assignment = await assignCluster(env.ADAPTERS, manifest, language, text);
  const key = clusterModelKey(manifest?.languages[language]);
  const loaded = assignment && key ? await loadClusterModel(env.ADAPTERS, key) : null;
  if (!assignment || !loaded) return;
  const model = { version: loaded.model.version, reference: loaded.model.reference, theta: loaded.model.theta };
  const full = buffer.add(language, region, model, assignment.cluster, settings.DRIFT_SAMPLE_TEXTS ? text : null);
  if (full) {
    await flushBatches(env.DRIFT_WINDOWS, buffer.take());
  } else if (!timerArmed) {
    timerArmed = true;
    schedule(
      new Promise<void>((resolve) => setTimeout(resolve, FLUSH_AFTER_MS)).then(() => {
        timerArmed = false;
        return buffer.buffered > 0 ? flushBatches(env.DRIFT_WINDOWS, buffer.take()) : undefined;
      }),
    );
  }
}

/** Flush this isolate's buffer now (tests, benches). */
export async function flushDrift(env: Env): Promise<void> {
  if (buffer.buffered > 0) await flushBatches(env.DRIFT_WINDOWS, buffer.take());
}

/**
 * The chat handler's one call: record the request's assignment inside `waitUntil`. Telemetry never delays or fails
 * the response: errors are logged, and without an execution context (a bare `app.request`) nothing is recorded.
 */
export function recordDrift(c: Context<AppEnv>, decision: RouteDecision, text: string): void {
  const settings = c.get("config");
  // Only requests routed as their language: a low-confidence detection says little about that language's traffic.
  if (!settings.DRIFT_TELEMETRY || !decision.language || decision.reason === "low-confidence") return;
  let ctx: Context<AppEnv>["executionCtx"];
  try {
    ctx = c.executionCtx;
  } catch {
    return;
  }
  const schedule = (work: Promise<void>) => ctx.waitUntil(work.catch(warnFailure));
  try {
    const region = regionOf(c.req.raw.cf as Record<string, unknown> | undefined, c.req.header(REGION_HEADER), settings);
    schedule(recordAssignment(c.env, settings, c.get("manifest"), decision.language, region, text, schedule));
  } catch (err) {
    warnFailure(err);
  }
}

function warnFailure(err: unknown): void {
  console.warn("compass: drift telemetry failed; the response is unaffected", String(err));
}
