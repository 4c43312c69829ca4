/**
 * What the chat handler tells the canary guard: each routed request's upstream outcome while its language runs a
 * canary, buffered per isolate and flushed in batches to the language's guard inside `waitUntil`, so that the client
 * never waits for the guard and the guard's object receives one call per batch rather than one per request.
 *
 * **[choice] Batching:** a flush every `GUARD_FLUSH_EVERY` = 50 buffered outcomes (the guard's default minimum sample
 * per arm) or `GUARD_FLUSH_AFTER_MS` = 1,000 ms after the first one, whichever comes first. An isolate that dies with
 * a buffer loses at most 49 outcomes (the request's `waitUntil` keeps it alive through the 1 s timer, so this takes an
 * eviction in between); a batch whose three delivery attempts (5 s each) all fail is dropped with a warning naming its
 * size. Retries reuse the batch id, which the guard applies once. The guard counts a batch outcome by outcome and
 * judges after each, so its decisions are those of one call per outcome; they only arrive up to 1 s later.
 */
import type { Context } from "hono";
import type { LanguageCode } from "../../adapters/languages";
import { deliverWithRetries } from "../delivery";
import type { RouteDecision } from "../route";
import type { AppEnv } from "../types";
import { canaryOf, canaryRunOf, type GuardBatch, guardFor, type Outcome } from "./guard.do";

export const GUARD_FLUSH_EVERY = 50;
export const GUARD_FLUSH_AFTER_MS = 1_000;

/** Response header carrying the completion's id, which `POST /v1/feedback` takes. */
export const COMPLETION_ID_HEADER = "x-compass-completion-id";

/** A completion id names its language, so that feedback finds the language's guard: `cmpl-sw-<uuid>`. */
export function newCompletionId(language: LanguageCode | null): string {
  return `cmpl-${language ?? "none"}-${crypto.randomUUID()}`;
}

export function languageOfCompletion(id: string): string | null {
  return /^cmpl-([a-z]{2,3})-[0-9a-f-]{36}$/.exec(id)?.[1] ?? null;
}

/** One isolate's outcomes per language, in arrival order, handed over as batches with ids stable across retries. */
class OutcomeBuffer {
  private pending = new Map<LanguageCode, Outcome[]>();
  private size = 0;
  private sequence = 0;
  /** Drawn on first use: Workers refuse random values at global scope. */
  private isolate: string | null = null;

  get buffered(): number {
    return this.size;
  }

  /** Buffer one outcome; true when the buffer is full and should be flushed now. */
  add(outcome: Outcome): boolean {
    const list = this.pending.get(outcome.language);
    if (list) list.push(outcome);
    else this.pending.set(outcome.language, [outcome]);
    this.size += 1;
    return this.size >= GUARD_FLUSH_EVERY;
  }

  take(): GuardBatch[] {
    this.isolate ??= crypto.randomUUID();
    const batches = [...this.pending].map(([language, outcomes]) => ({
      id: `${this.isolate}-${++this.sequence}`,
      language,
      outcomes,
    }));
    this.pending = new Map();
    this.size = 0;
    return batches;
  }
}

const buffer = new OutcomeBuffer();
/** Ends the armed flush timer early once a full buffer was flushed, so that no request's `waitUntil` idles on it. */
let wakeTimer: (() => void) | null = null;

/** Deliver batches to their languages' guards; never throws. */
export async function flushGuardBatches(env: Env, batches: GuardBatch[]): Promise<void> {
  await Promise.all(
    batches.map(async (batch) => {
      const delivered = await deliverWithRetries(() => guardFor(env, batch.language).recordBatch(batch));
      if ("lost" in delivered)
        console.warn(
          `compass: canary guard batch ${batch.id} (${batch.outcomes.length} outcomes, ${batch.language}) lost`,
          String(delivered.lost),
        );
    }),
  );
}

/** Flush this isolate's outcomes now (feedback on a completion just served, tests). */
export async function flushGuard(env: Env): Promise<void> {
  if (buffer.buffered > 0) await flushGuardBatches(env, buffer.take());
}

/**
 * Buffer one outcome, flushing when due. Resolves when this call's share of the work (and a flush it started) is
 * done; `schedule` keeps the flush timer alive (the request's `waitUntil`).
 */
export async function bufferOutcome(env: Env, outcome: Outcome, schedule: (work: Promise<void>) => void) {
  if (buffer.add(outcome)) {
    wakeTimer?.();
    await flushGuardBatches(env, buffer.take());
  } else if (!wakeTimer) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const due = new Promise<void>((resolve) => {
      wakeTimer = resolve;
      timer = setTimeout(resolve, GUARD_FLUSH_AFTER_MS);
    });
    schedule(
      due.then(() => {
        clearTimeout(timer);
        wakeTimer = null;
        return flushGuard(env);
      }),
    );
  }
}

/**
 * Record one upstream outcome for the language's guard when a canary runs for it. Never delays or fails the response:
 * errors are logged, and without an execution context (a bare `app.request`) nothing is recorded.
 * @param status the status the upstream answered, or null when it failed or timed out
 * @param ttfbMs time to the upstream's response headers
 */
export function recordOutcome(
  c: Context<AppEnv>,
  decision: RouteDecision,
  completionId: string,
  status: number | null,
  ttfbMs: number,
): void {
  const language = decision.language;
  const canary = canaryOf(c.get("manifest"), language);
  if (!language || !canary || (decision.reason !== "canary" && decision.reason !== "adapter")) return;
  let ctx: Context<AppEnv>["executionCtx"];
  try {
    ctx = c.executionCtx;
  } catch {
    return;
  }
  const ok = status !== null && status < 400;
  const schedule = (work: Promise<void>) => ctx.waitUntil(work.catch(warnFailure));
  schedule(
    bufferOutcome(
      c.env,
      {
        completionId,
        language,
        canaryVersion: canary.adapter.version,
        canaryRun: canaryRunOf(canary),
        role: decision.reason === "canary" ? "canary" : "stable",
        servedVersion: decision.adapterVersion ?? "",
        ok,
        ttfbMs: ok ? ttfbMs : null,
        autoPromoteAfter: canary.autoPromoteAfter ?? null,
        guard: canary.guard ?? null,
      },
      schedule,
    ),
  );
}

function warnFailure(err: unknown): void {
  console.warn("compass: recording a canary outcome failed; the response is unaffected", String(err));
}
