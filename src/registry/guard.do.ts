/**
 * The canary guard of one language (one object per language, `idFromName(language)`): SQLite counters per arm
 * (stable, canary) of the canary running, fed with every upstream outcome (in batches from each isolate,
 * src/registry/record.ts) and every feedback score. A batch is counted outcome by outcome in its order, and after each
 * outcome (and each score) the guard asks the pure `decideGuard`, so that a batch reaches the same verdict at the same
 * outcome as one call per outcome would; a batch id it has applied is not applied again (a retried delivery).
 * On a regression it rolls the canary back, on a clean run with `autoPromoteAfter` it
 * promotes, both by compare-and-swap on the manifest with the figures in the history. A canary it has judged is
 * closed: outcomes still arriving for it (isolates whose manifest copy is not yet refreshed) are not counted.
 */
import { DurableObject } from "cloudflare:workers";
import type { LanguageCode } from "../../adapters/languages";
import type { Manifest } from "../../adapters/manifest";
import type { GuardFigures } from "../../adapters/rollout";
import { type Config, getConfig } from "../config";
import { type ArmStats, DEFAULT_GUARD_POLICY, decideGuard, type GuardDecision, type GuardPolicy } from "./guard";
import { changeManifest, readStoredManifest, rolloutChange } from "./manifest-store";
import { ensureUpstreamHasAll, routedAdapters } from "./upstream-load";

/** One upstream outcome of a request served while a canary ran. */
export interface Outcome {
  completionId: string;
  language: LanguageCode;
  /** The canary version running when the request was routed, and which arm served it. */
  canaryVersion: string;
  /** One canary run: its version and start time (a version tried again later is measured afresh). */
  canaryRun: string;
  role: "stable" | "canary";
  servedVersion: string;
  ok: boolean;
  /** Time to the upstream's response headers (successful requests only). */
  ttfbMs: number | null;
  /** The manifest's guard settings for this canary, as the routing isolate saw them. */
  autoPromoteAfter: number | null;
  guard: Partial<Omit<GuardPolicy, "autoPromoteAfter">> | null;
}

/** What an isolate sends: its outcomes for one language, under an id that stays the same across retries. */
export interface GuardBatch {
  id: string;
  language: LanguageCode;
  outcomes: Outcome[];
}

export interface BatchResult {
  /** The batch id was applied before: nothing was counted again. */
  duplicate: boolean;
  /** Outcomes counted (those of a canary already judged are not). */
  counted: number;
  /** The verdict acted on during this batch, else the decision after its last counted outcome. */
  decision: GuardDecision | null;
}

export type FeedbackResult = "recorded" | "unknown-completion" | "already-scored";

/** Completions can be scored for this long; older ids are forgotten. */
const FEEDBACK_WINDOW_MS = 24 * 3600 * 1000;
/** Applied batch ids are remembered this long: far beyond a batch's delivery retries (three attempts within 16 s). */
const BATCH_IDS_KEPT_MS = 3600 * 1000;
// Guard manifest writes retry lost races this many times (each re-reads the manifest and re-checks the canary).
const CAS_ATTEMPTS = 5;

export interface GuardStatus {
  canaryRun: string | null;
  decision: GuardDecision | null;
  verdicts: { canary: string; verdict: string; action: string; applied: string; at: string; figures: GuardFigures }[];
}

export class RolloutGuard extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS arms (
      canary TEXT NOT NULL, role TEXT NOT NULL, version TEXT NOT NULL,
      requests INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0,
      ttfb_count INTEGER NOT NULL DEFAULT 0, ttfb_log_sum REAL NOT NULL DEFAULT 0,
      fb_count INTEGER NOT NULL DEFAULT 0, fb_sum REAL NOT NULL DEFAULT 0, fb_sum_sq REAL NOT NULL DEFAULT 0,
      PRIMARY KEY (canary, role))`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS completions (
      id TEXT PRIMARY KEY, canary TEXT NOT NULL, role TEXT NOT NULL, at INTEGER NOT NULL, scored INTEGER NOT NULL DEFAULT 0)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS verdicts (
      canary TEXT PRIMARY KEY, verdict TEXT NOT NULL, action TEXT NOT NULL, applied TEXT NOT NULL, at TEXT NOT NULL,
      figures TEXT NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS settings (canary TEXT PRIMARY KEY, policy TEXT NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS batches (id TEXT PRIMARY KEY, at INTEGER NOT NULL)`);
  }

  /**
   * Count a batch of outcomes once, judging the canary after each. The id is claimed before the first outcome is
   * counted: a retry that arrives while this call awaits a manifest write finds it claimed and counts nothing.
   */
  async recordBatch(batch: GuardBatch): Promise<BatchResult> {
    const now = Date.now();
    const fresh = this.ctx.storage.transactionSync(() => {
      if (this.sql.exec("SELECT 1 FROM batches WHERE id = ?", batch.id).toArray().length > 0) return false;
      this.sql.exec("INSERT INTO batches (id, at) VALUES (?, ?)", batch.id, now);
      this.sql.exec("DELETE FROM batches WHERE at < ?", now - BATCH_IDS_KEPT_MS);
      return true;
    });
    if (!fresh) return { duplicate: true, counted: 0, decision: null };
    let counted = 0;
    let decision: GuardDecision | null = null;
    let acted: GuardDecision | null = null;
    for (const outcome of batch.outcomes) {
      if (this.closed(outcome.canaryRun)) continue;
      decision = await this.record(outcome, now);
      counted += 1;
      if (decision && decision.action !== "none" && this.closed(outcome.canaryRun)) acted = decision;
    }
    return { duplicate: false, counted, decision: acted ?? decision };
  }

  /** Count one outcome and judge the canary. */
  private async record(outcome: Outcome, now: number): Promise<GuardDecision | null> {
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        `INSERT INTO arms (canary, role, version, requests, errors, ttfb_count, ttfb_log_sum) VALUES (?, ?, ?, 1, ?, ?, ?)
         ON CONFLICT (canary, role) DO UPDATE SET requests = requests + 1, errors = errors + excluded.errors,
           ttfb_count = ttfb_count + excluded.ttfb_count, ttfb_log_sum = ttfb_log_sum + excluded.ttfb_log_sum`,
        outcome.canaryRun,
        outcome.role,
        outcome.servedVersion,
        outcome.ok ? 0 : 1,
        outcome.ok && outcome.ttfbMs !== null ? 1 : 0,
        outcome.ok && outcome.ttfbMs !== null ? Math.log(Math.max(outcome.ttfbMs, 0.01)) : 0,
      );
      this.sql.exec(
        "INSERT OR IGNORE INTO completions (id, canary, role, at) VALUES (?, ?, ?, ?)",
        outcome.completionId,
        outcome.canaryRun,
        outcome.role,
        now,
      );
      this.sql.exec("DELETE FROM completions WHERE at < ?", now - FEEDBACK_WINDOW_MS);
      this.sql.exec(
        "INSERT OR REPLACE INTO settings (canary, policy) VALUES (?, ?)",
        outcome.canaryRun,
        JSON.stringify(this.policyFor(outcome)),
      );
    });
    return this.judge(outcome.language, outcome.canaryRun);
  }

  /** Record a feedback score in [0, 1] for a completion served during a canary. */
  async feedback(language: LanguageCode, completionId: string, score: number): Promise<FeedbackResult> {
    const row = this.sql
      .exec<{ canary: string; role: string; scored: number }>(
        "SELECT canary, role, scored FROM completions WHERE id = ?",
        completionId,
      )
      .toArray()[0];
    if (!row) return "unknown-completion";
    if (row.scored) return "already-scored";
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("UPDATE completions SET scored = 1 WHERE id = ?", completionId);
      this.sql.exec(
        "UPDATE arms SET fb_count = fb_count + 1, fb_sum = fb_sum + ?, fb_sum_sq = fb_sum_sq + ? WHERE canary = ? AND role = ?",
        score,
        score * score,
        row.canary,
        row.role,
      );
    });
    if (!this.closed(row.canary)) await this.judge(language, row.canary);
    return "recorded";
  }

  /** The current figures of `canaryRun` (or the latest canary seen) and every verdict so far. */
  async status(canaryRun: string | null): Promise<GuardStatus> {
    const canary =
      canaryRun ??
      this.sql.exec<{ canary: string }>("SELECT canary FROM arms ORDER BY rowid DESC LIMIT 1").toArray()[0]?.canary ??
      null;
    const verdicts = this.sql
      .exec<{ canary: string; verdict: string; action: string; applied: string; at: string; figures: string }>(
        "SELECT * FROM verdicts ORDER BY at DESC",
      )
      .toArray()
      .map((v) => ({ ...v, figures: JSON.parse(v.figures) as GuardFigures }));
    return { canaryRun: canary, decision: canary ? this.decide(canary) : null, verdicts };
  }

  private closed(canary: string): boolean {
    return this.sql.exec("SELECT 1 FROM verdicts WHERE canary = ?", canary).toArray().length > 0;
  }

  private policyFor(outcome: Outcome): GuardPolicy {
    return { ...DEFAULT_GUARD_POLICY, ...(outcome.guard ?? {}), autoPromoteAfter: outcome.autoPromoteAfter };
  }

  private arm(canary: string, role: "stable" | "canary"): ArmStats | null {
    const row = this.sql
      .exec<{
        version: string;
        requests: number;
        errors: number;
        ttfb_count: number;
        ttfb_log_sum: number;
        fb_count: number;
        fb_sum: number;
        fb_sum_sq: number;
      }>("SELECT * FROM arms WHERE canary = ? AND role = ?", canary, role)
      .toArray()[0];
    if (!row) return null;
    return {
      version: row.version,
      requests: row.requests,
      errors: row.errors,
      ttfbCount: row.ttfb_count,
      ttfbLogSum: row.ttfb_log_sum,
      feedbackCount: row.fb_count,
      feedbackSum: row.fb_sum,
      feedbackSumSq: row.fb_sum_sq,
    };
  }

  private decide(canary: string): GuardDecision | null {
    const stable = this.arm(canary, "stable");
    const canaryArm = this.arm(canary, "canary");
    const policy = this.sql
      .exec<{ policy: string }>("SELECT policy FROM settings WHERE canary = ?", canary)
      .toArray()[0];
    if (!stable || !canaryArm || !policy) return null;
    return decideGuard(stable, canaryArm, JSON.parse(policy.policy) as GuardPolicy);
  }

  private async judge(language: LanguageCode, canary: string): Promise<GuardDecision | null> {
    const decision = this.decide(canary);
    if (!decision || decision.action === "none") return decision;
    const applied = await applyGuardDecision(this.env.ADAPTERS, getConfig(this.env), language, decision);
    // A decision that lost every race stays open: the next outcome judges (and tries) again.
    if (applied === null) return decision;
    this.sql.exec(
      "INSERT OR REPLACE INTO verdicts (canary, verdict, action, applied, at, figures) VALUES (?, ?, ?, ?, ?, ?)",
      canary,
      decision.verdict,
      decision.action,
      applied,
      new Date().toISOString(),
      JSON.stringify(decision.figures),
    );
    return decision;
  }
}

/**
 * Roll back or promote the canary `decision` judged, by compare-and-swap, unless it is no longer the canary running.
 * Returns what happened for the verdict table, or null when every attempt lost its race.
 *
 * **[choice]** Before a rollback, the stable adapter it restores is loaded into the upstream
 * (UPSTREAM_ADAPTER_LOADING=vllm). When that load fails the guard rolls back all the same and writes the refusal into
 * the history event (`upstream`): the canary measured worse than the stable adapter, which served the other arm up to
 * this verdict, so keeping the regressing canary is the known harm and the stable adapter the likelier to work. A
 * promotion loads nothing: its adapter served the canary arm cleanly up to the verdict.
 */
export async function applyGuardDecision(
  bucket: R2Bucket,
  config: Config,
  language: LanguageCode,
  decision: GuardDecision,
): Promise<string | null> {
  const action = decision.action as "rollback" | "promote";
  const canary = decision.figures.canary.version;
  const change = rolloutChange({ action }, canary);
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    let upstream: string | undefined;
    if (action === "rollback" && config.UPSTREAM_ADAPTER_LOADING !== "none") {
      const { manifest } = await readStoredManifest(bucket, config.MANIFEST_KEY);
      const dryRun = change(manifest?.languages[language]);
      if (dryRun.ok) {
        const load = await ensureUpstreamHasAll(config, dryRun.entry);
        upstream = load.ok
          ? `the upstream has ${routedAdapters(dryRun.entry)
              .map((a) => a.name)
              .join(", ")}${load.loaded ? " (loaded now)" : ""}`
          : `${load.message}; rolled back all the same (the canary regressed)`;
      }
    }
    const outcome = await changeManifest(bucket, config.MANIFEST_KEY, {
      language,
      action,
      actor: "guard",
      reason: decision.verdict,
      figures: decision.figures,
      change,
      ...(upstream ? { upstream: upstream.slice(0, 1000) } : {}),
    });
    if (outcome.kind === "committed") return `revision ${outcome.manifest.revision}`;
    if (outcome.kind === "refused") return `not applied: ${outcome.result.refusal}`;
    if (outcome.kind === "no-manifest") return "not applied: no manifest";
  }
  return null;
}

/** The guard object of a language. */
export function guardFor(env: Env, language: LanguageCode): DurableObjectStub<RolloutGuard> {
  return env.ROLLOUT_GUARD.get(env.ROLLOUT_GUARD.idFromName(language));
}

/** Whether a manifest runs a canary for `language` (only then are outcomes recorded). */
export function canaryOf(manifest: Manifest | null, language: LanguageCode | null) {
  return language ? manifest?.languages[language]?.canary : undefined;
}

/** The key of one canary run in the guard: its version and start time. */
export function canaryRunOf(canary: { adapter: { version: string }; startedAt?: string | undefined }): string {
  return `${canary.adapter.version}@${canary.startedAt ?? ""}`;
}
