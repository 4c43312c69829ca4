/**
 * What the chat handler tells the canary guard: each routed request's upstream outcome while its language runs a
 * canary, sent inside `waitUntil` so that the client never waits for the guard.
 */
import type { Context } from "hono";
import type { LanguageCode } from "../../adapters/languages";
import type { RouteDecision } from "../route";
import type { AppEnv } from "../types";
import { canaryOf, canaryRunOf, guardFor } from "./guard.do";

/** Response header carrying the completion's id, which `POST /v1/feedback` takes. */
export const COMPLETION_ID_HEADER = "x-compass-completion-id";

/** A completion id names its language, so that feedback finds the language's guard: `cmpl-sw-<uuid>`. */
export function newCompletionId(language: LanguageCode | null): string {
  return `cmpl-${language ?? "none"}-${crypto.randomUUID()}`;
}

export function languageOfCompletion(id: string): string | null {
  return /^cmpl-([a-z]{2,3})-[0-9a-f-]{36}$/.exec(id)?.[1] ?? null;
}

/**
 * Record one upstream outcome with the language's guard when a canary runs for it.
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
  const ok = status !== null && status < 400;
  const recorded = guardFor(c.env, language)
    .record({
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
    })
    .catch((err: unknown) => console.warn("compass: recording a canary outcome failed", String(err)));
  c.executionCtx.waitUntil(recorded);
}
