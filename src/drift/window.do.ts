/**
 * `DriftWindow`: a SQLite-backed Durable Object per (language, region), named `{language}:{region}`, plus one rollup
 * per language named `{language}:all` that receives every region's batches. It holds P_ref and θ of the cluster model
 * in force, the sliding window of the last assignments, the checks and the triggers (METHOD §5–6).
 *
 * Counts are never lost or double-counted once delivered: each batch is applied in one SQLite transaction together
 * with its id, and a retried batch (same id) is acknowledged without being applied again. A trigger is written to
 * an outbox in that same transaction; the alarm delivers it (window texts to R2, then the Queue message) and retries
 * until both succeed, so a crash between the transaction and the delivery only delays it.
 */
import { DurableObject } from "cloudflare:workers";
import type { DriftTrigger } from "../../adapters/trigger";
import { SAMPLE_TEXT_MAX_CHARS } from "./buffer";
import { METHOD_POLICY } from "./check";
import { wasmJsDivergence } from "./divergence";
import {
  freshWindow,
  type WindowMonitor as Monitor,
  type Observation,
  WindowMonitor,
  type WindowState,
} from "./monitor";

/** One isolate's assignments for one (language, region, model version), in arrival order. */
export interface DriftBatch {
  /** Unique per batch; a retried delivery carries the same id. */
  id: string;
  language: string;
  /** The region the requests came from (for the rollup: which region's batch this is). */
  region: string;
  model: { version: string; reference: number[]; theta: number };
  clusters: number[];
  /** The identified text of each assignment, when DRIFT_SAMPLE_TEXTS is on; else null. */
  texts: string[] | null;
}

export interface RecordResult {
  /** Why the batch was refused as malformed (nothing changed), or null. A refused batch is a bug: never retried. */
  rejected: string | null;
  /** The batch id had been applied before: nothing changed. */
  duplicate: boolean;
  accepted: number;
  /** Samples dropped because their model version was retired moments ago (isolates still on the old manifest). */
  stale: number;
  checks: number;
  triggers: string[];
}

export interface CheckPoint {
  at: string;
  /** Samples observed under this model version when the check ran. */
  sample: number;
  js: number;
  theta: number;
  outcome: "within-theta" | "over-theta" | "deferred";
  modelVersion: string;
  triggerId: string | null;
  /** For a deferred rollup check: the region whose own window is left to trigger. */
  deferredTo: string | null;
}

export interface WindowSnapshot {
  language: string;
  region: string;
  modelVersion: string | null;
  /** Samples in the window now. */
  samples: number;
  /** Samples observed under the model version in force. */
  totalSamples: number;
  /** JS at the latest check (null before the first). */
  js: number | null;
  theta: number | null;
  /** Triggers fired under the model version in force. */
  triggers: number;
  monitored: number[];
  /** P_ref in force (the window a trigger fired on, until a new cluster model arrives). */
  reference: number[];
  modelReference: number[];
  timeline: CheckPoint[];
  triggerIds: string[];
  /** Rollup only: the regions whose batches it has merged. */
  regions: string[];
}

/** **[choice]** Texts kept per window: a uniform sample of the samples since the window (re)started. */
export const RESERVOIR_SIZE = 250;
/** Batch ids are remembered this long; retries come within seconds. */
const BATCH_ID_TTL_MS = 60 * 60 * 1000;
/**
 * **[choice]** After a new model version arrives, batches of the old one are dropped as stale for this long (isolates
 * hold the manifest for MANIFEST_TTL_MS, then flush); after it the old version counts as a rollback and resets again.
 */
const RETIRED_GRACE_MS = 10 * 60 * 1000;
const CHECKS_KEPT = 2000;
const DELIVERY_RETRY_MS = 30_000;
const MAX_BATCH = 10_000;

type Scope = "region" | "all";

interface Meta {
  language: string;
  region: string;
  scope: Scope;
  /** Trigger numbers are never reused, also across model versions, so trigger ids stay unique. */
  triggerSeq: number;
}

export class DriftWindow extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private meta: Meta | null = null;
  private monitor: Monitor | null = null;
  private regionNames: string[] = [];

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS window (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL,
        ring BLOB NOT NULL, ring_region BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS batches (id TEXT PRIMARY KEY, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS batches_at ON batches (at);
      CREATE TABLE IF NOT EXISTS retired (version TEXT PRIMARY KEY, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS regions (idx INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE IF NOT EXISTS checks (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
        sample INTEGER NOT NULL, js REAL NOT NULL, theta REAL NOT NULL, outcome TEXT NOT NULL,
        model_version TEXT NOT NULL, trigger_id TEXT, deferred_to TEXT);
      CREATE TABLE IF NOT EXISTS samples (slot INTEGER PRIMARY KEY, seq INTEGER NOT NULL, cluster INTEGER NOT NULL,
        text TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL,
        window_key TEXT, window_body TEXT, sent INTEGER NOT NULL DEFAULT 0);
    `);
  }

  /**
   * Apply one batch of assignments. `scope` is `region` for `{language}:{region}` and `all` for the rollup. A
   * malformed batch is refused (`rejected`) and changes nothing.
   */
  record(batch: DriftBatch, scope: Scope): RecordResult {
    const result: RecordResult = { rejected: null, duplicate: false, accepted: 0, stale: 0, checks: 0, triggers: [] };
    result.rejected = problemWith(batch);
    if (result.rejected) return result;
    const now = Date.now();
    try {
      this.ctx.storage.transactionSync(() => {
        if (this.sql.exec("SELECT 1 FROM batches WHERE id = ?", batch.id).toArray().length > 0) {
          result.duplicate = true;
          return;
        }
        this.sql.exec("INSERT INTO batches (id, at) VALUES (?, ?)", batch.id, now);
        this.sql.exec("DELETE FROM batches WHERE at < ?", now - BATCH_ID_TTL_MS);
        const meta = this.loadMeta() ?? this.initMeta(batch, scope);
        // Registered before the version check, so a region whose first batches are stale is still listed.
        const regionIndex = meta.scope === "all" ? this.regionIndex(batch.region) : 0;
        const monitor = this.monitorFor(batch, now);
        if (!monitor) {
          result.stale = batch.clusters.length;
          return;
        }
        if (monitor.clusters !== batch.model.reference.length) {
          result.rejected = `model version ${batch.model.version} has ${monitor.clusters} clusters here, the batch ${batch.model.reference.length}`;
          throw new Rejected();
        }
        for (let i = 0; i < batch.clusters.length; i++) {
          // Sampled first, so that the sample completing a window that fires is part of that window's texts.
          if (batch.texts)
            this.sampleText(monitor.state.sinceRestart + 1, batch.clusters[i] as number, batch.texts[i] as string);
          const observation = monitor.observe(batch.clusters[i] as number, regionIndex);
          result.accepted += 1;
          if (observation.outcome === "no-check") continue;
          result.checks += 1;
          const triggerId = observation.outcome === "over-theta" ? this.fire(meta, monitor, observation, now) : null;
          if (triggerId) result.triggers.push(triggerId);
          this.sql.exec(
            `INSERT INTO checks (at, sample, js, theta, outcome, model_version, trigger_id, deferred_to)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            now,
            monitor.state.total,
            observation.js,
            monitor.state.theta,
            observation.outcome,
            monitor.state.modelVersion,
            triggerId,
            observation.outcome === "deferred" ? observation.region : null,
          );
        }
        if (result.checks > 0)
          this.sql.exec("DELETE FROM checks WHERE seq <= (SELECT MAX(seq) FROM checks) - ?", CHECKS_KEPT);
        this.saveWindow(monitor.state);
      });
    } catch (err) {
      // The transaction rolled back; the in-memory copy may be ahead of it, so reload from storage next time.
      this.meta = null;
      this.monitor = null;
      if (err instanceof Rejected) return { ...result, accepted: 0, checks: 0, triggers: [] };
      throw err;
    }
    if (result.triggers.length > 0) this.ctx.waitUntil(this.ctx.storage.setAlarm(Date.now()));
    return result;
  }

  /** The window's state, with the last `timelineLimit` checks, for `GET /v1/drift`. */
  snapshot(timelineLimit = 500): WindowSnapshot {
    const meta = this.loadMeta();
    const monitor = this.loadMonitor();
    const s = monitor?.state;
    const timeline = this.sql
      .exec<{
        at: number;
        sample: number;
        js: number;
        theta: number;
        outcome: CheckPoint["outcome"];
        model_version: string;
        trigger_id: string | null;
        deferred_to: string | null;
      }>("SELECT * FROM (SELECT * FROM checks ORDER BY seq DESC LIMIT ?) ORDER BY seq", timelineLimit)
      .toArray()
      .map((row) => ({
        at: new Date(row.at).toISOString(),
        sample: row.sample,
        js: row.js,
        theta: row.theta,
        outcome: row.outcome,
        modelVersion: row.model_version,
        triggerId: row.trigger_id,
        deferredTo: row.deferred_to,
      }));
    const triggerIds = this.sql
      .exec<{ id: string }>("SELECT id FROM outbox ORDER BY at, id")
      .toArray()
      .map((row) => row.id);
    return {
      language: meta?.language ?? "",
      region: meta?.region ?? "",
      modelVersion: s?.modelVersion ?? null,
      samples: s?.size ?? 0,
      totalSamples: s?.total ?? 0,
      js: s?.lastJs ?? null,
      theta: s?.theta ?? null,
      triggers: s?.triggers ?? 0,
      monitored: monitor?.shares() ?? [],
      reference: s?.reference ?? [],
      modelReference: s?.modelReference ?? [],
      timeline,
      triggerIds,
      regions: this.regionNames.length > 0 ? this.regionNames.slice() : this.loadRegions(),
    };
  }

  /** Deliver the outbox: each trigger's window texts to R2, then its Queue message; retried until both succeed. */
  override async alarm(): Promise<void> {
    const pending = this.sql
      .exec<{ id: string; body: string; window_key: string | null; window_body: string | null }>(
        "SELECT id, body, window_key, window_body FROM outbox WHERE sent = 0 ORDER BY at, id",
      )
      .toArray();
    let failed = 0;
    for (const row of pending) {
      try {
        if (row.window_key && row.window_body !== null) {
          await this.env.ADAPTERS.put(row.window_key, row.window_body, {
            httpMetadata: { contentType: "application/x-ndjson" },
          });
          this.sql.exec("UPDATE outbox SET window_body = NULL WHERE id = ?", row.id);
        }
        await this.env.DRIFT_TRIGGERS.send(JSON.parse(row.body) as DriftTrigger, { contentType: "json" });
        this.sql.exec("UPDATE outbox SET sent = 1 WHERE id = ?", row.id);
      } catch (err) {
        failed += 1;
        console.warn(`compass: delivering drift trigger ${row.id} failed; retrying`, String(err));
      }
    }
    if (failed > 0) await this.ctx.storage.setAlarm(Date.now() + DELIVERY_RETRY_MS);
  }

  private fire(meta: Meta, monitor: Monitor, fired: Extract<Observation, { outcome: "over-theta" }>, now: number) {
    meta.triggerSeq += 1;
    this.sql.exec("UPDATE meta SET body = ? WHERE id = 1", JSON.stringify(meta));
    const s = monitor.state;
    const id = `${meta.language}.${meta.region}.${slug(s.modelVersion)}.${meta.triggerSeq}`;
    // The window restarted inside observe(); the sampled texts still describe the window that fired.
    const texts = this.sql
      .exec<{ text: string; cluster: number }>("SELECT text, cluster FROM samples ORDER BY seq")
      .toArray();
    this.sql.exec("DELETE FROM samples");
    const windowKey = texts.length > 0 ? `windows/${meta.language}/${meta.region}/${id}.jsonl` : null;
    const trigger: DriftTrigger = {
      id,
      language: meta.language,
      region: meta.region,
      modelVersion: s.modelVersion,
      reference: fired.reference,
      monitored: fired.monitored,
      js: fired.js,
      theta: s.theta,
      windowSamples: fired.windowSamples,
      windowKey,
      at: new Date(now).toISOString(),
    };
    // The trainer's data schema (Aya: inputs, language_code), one JSON object per line.
    const windowBody = texts
      .map((t) => JSON.stringify({ inputs: t.text, language_code: meta.language, cluster: t.cluster }))
      .join("\n");
    this.sql.exec(
      "INSERT INTO outbox (id, at, body, window_key, window_body) VALUES (?, ?, ?, ?, ?)",
      id,
      now,
      JSON.stringify(trigger),
      windowKey,
      windowKey ? `${windowBody}\n` : null,
    );
    return id;
  }

  /**
   * Reservoir sampling (algorithm R) over the samples since the window (re)started, keeping only those still in the
   * window: a bounded, uniform sample of what the window holds.
   */
  private sampleText(seq: number, cluster: number, text: string): void {
    const bounded = text.slice(0, SAMPLE_TEXT_MAX_CHARS);
    if (seq <= RESERVOIR_SIZE) {
      this.sql.exec(
        "INSERT OR REPLACE INTO samples (slot, seq, cluster, text) VALUES (?, ?, ?, ?)",
        seq - 1,
        seq,
        cluster,
        bounded,
      );
    } else {
      const j = Math.floor(Math.random() * seq);
      if (j < RESERVOIR_SIZE)
        this.sql.exec(
          "INSERT OR REPLACE INTO samples (slot, seq, cluster, text) VALUES (?, ?, ?, ?)",
          j,
          seq,
          cluster,
          bounded,
        );
    }
    if (seq > METHOD_POLICY.window) this.sql.exec("DELETE FROM samples WHERE seq <= ?", seq - METHOD_POLICY.window);
  }

  /** The monitor for the batch's model version; null when that version was retired moments ago (stale batch). */
  private monitorFor(batch: DriftBatch, now: number): Monitor | null {
    const current = this.loadMonitor();
    if (current && current.state.modelVersion === batch.model.version) return current;
    const retired = this.sql
      .exec<{ at: number }>("SELECT at FROM retired WHERE version = ?", batch.model.version)
      .toArray()[0];
    if (retired && retired.at > now - RETIRED_GRACE_MS) return null;
    if (current)
      this.sql.exec("INSERT OR REPLACE INTO retired (version, at) VALUES (?, ?)", current.state.modelVersion, now);
    this.sql.exec("DELETE FROM retired WHERE version = ?", batch.model.version);
    this.sql.exec("DELETE FROM samples");
    const state = freshWindow(METHOD_POLICY, batch.model.version, batch.model.reference, batch.model.theta);
    this.monitor = new WindowMonitor(
      state,
      METHOD_POLICY,
      wasmJsDivergence,
      this.meta?.scope === "all" ? this.regionNames : null,
    );
    return this.monitor;
  }

  private loadMeta(): Meta | null {
    if (this.meta) return this.meta;
    const row = this.sql.exec<{ body: string }>("SELECT body FROM meta WHERE id = 1").toArray()[0];
    this.meta = row ? (JSON.parse(row.body) as Meta) : null;
    if (this.meta?.scope === "all") this.regionNames = this.loadRegions();
    return this.meta;
  }

  private initMeta(batch: DriftBatch, scope: Scope): Meta {
    this.meta = { language: batch.language, region: scope === "all" ? "all" : batch.region, scope, triggerSeq: 0 };
    this.sql.exec("INSERT INTO meta (id, body) VALUES (1, ?)", JSON.stringify(this.meta));
    return this.meta;
  }

  private loadMonitor(): Monitor | null {
    if (this.monitor) return this.monitor;
    const meta = this.loadMeta();
    const row = this.sql
      .exec<{ body: string; ring: ArrayBuffer; ring_region: ArrayBuffer }>(
        "SELECT body, ring, ring_region FROM window WHERE id = 1",
      )
      .toArray()[0];
    if (!meta || !row) return null;
    const state = {
      ...(JSON.parse(row.body) as Omit<WindowState, "ring" | "ringRegion">),
      ring: new Int32Array(row.ring.slice(0)),
      ringRegion: new Uint16Array(row.ring_region.slice(0)),
    };
    this.monitor = new WindowMonitor(
      state,
      METHOD_POLICY,
      wasmJsDivergence,
      meta.scope === "all" ? this.regionNames : null,
    );
    return this.monitor;
  }

  private saveWindow(state: WindowState): void {
    const { ring, ringRegion, ...body } = state;
    this.sql.exec(
      "INSERT OR REPLACE INTO window (id, body, ring, ring_region) VALUES (1, ?, ?, ?)",
      JSON.stringify(body),
      ring.buffer,
      ringRegion.buffer,
    );
  }

  private loadRegions(): string[] {
    return this.sql
      .exec<{ name: string }>("SELECT name FROM regions ORDER BY idx")
      .toArray()
      .map((row) => row.name);
  }

  private regionIndex(region: string): number {
    let index = this.regionNames.indexOf(region);
    if (index < 0) {
      if (this.regionNames.length >= 0xffff) throw new RangeError("the rollup has merged 65535 regions already");
      index = this.regionNames.length;
      this.sql.exec("INSERT INTO regions (idx, name) VALUES (?, ?)", index, region);
      // The monitor holds this same array, so attribution sees the new name at once.
      this.regionNames.push(region);
    }
    return index;
  }
}

/** Rolls back a batch found malformed midway; `record` reports it as `rejected`. */
class Rejected extends Error {}

function problemWith(batch: DriftBatch): string | null {
  const k = batch.model.reference.length;
  if (!batch.id || batch.clusters.length === 0 || batch.clusters.length > MAX_BATCH)
    return `a batch needs an id and 1-${MAX_BATCH} assignments`;
  if (k === 0 || !(batch.model.theta > 0 && batch.model.theta <= 1))
    return "a batch's model needs a reference and a θ in (0, 1]";
  for (const c of batch.clusters)
    if (!Number.isInteger(c) || c < 0 || c >= k) return `cluster ${c} is not in [0, ${k})`;
  if (batch.texts && batch.texts.length !== batch.clusters.length) return "texts must hold one text per assignment";
  return null;
}

/** Model versions become part of trigger ids and R2 keys: keep them to [A-Za-z0-9_-]. */
function slug(version: string): string {
  return version.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
}
