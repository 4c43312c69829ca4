/**
 * One interface over the two upstream kinds (chosen by UPSTREAM_KIND in wrangler.toml):
 * - `openai`: an OpenAI-compatible server that serves adapters by model name (vLLM `--enable-lora`, LoRAX): the
 *   request's `model` is the adapter name, or the base model id when no adapter applies.
 * - `workers-ai`: the Workers AI binding, `env.AI.run(baseModel, { messages, lora: adapter })`.
 * Both return an OpenAI-shaped Response (JSON, or an SSE stream passed through unbuffered).
 */

import { apiError } from "../errors";
import type { RouteDecision } from "../route";
import type { ChatCompletionRequest } from "../schemas";
import { openAIUpstream } from "./openai";
import { type AiRunner, workersAIUpstream } from "./workers-ai";

export interface Upstream {
  readonly kind: "openai" | "workers-ai";
  /** Send the request; resolves once response headers are in (the body may still be streaming). */
  complete(request: ChatCompletionRequest, decision: RouteDecision, signal: AbortSignal): Promise<Response>;
}

/** Raised by upstreams for failures that are the upstream's, not the client's. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: 502 | 504,
    readonly upstreamStatus?: number,
  ) {
    super(message);
  }
}

export function upstreamFor(env: Env): Upstream {
  switch (env.UPSTREAM_KIND) {
    case "openai":
      return openAIUpstream(env.UPSTREAM_URL);
    case "workers-ai":
      if (!env.AI)
        throw apiError(
          500,
          "UPSTREAM_KIND is workers-ai but no AI binding is configured",
          "misconfigured",
          "server_error",
        );
      // Ai's own typings overload run() on literal model names; the base model here is data from the manifest.
      return workersAIUpstream(env.AI as unknown as AiRunner);
    default:
      throw apiError(500, `unknown UPSTREAM_KIND '${env.UPSTREAM_KIND}'`, "misconfigured", "server_error");
  }
}

/**
 * Run `upstream.complete` with a deadline on the response headers: past it the call is aborted and reported as 504.
 * The deadline does not cut a stream that has started.
 */
export async function completeWithDeadline(
  upstream: Upstream,
  request: ChatCompletionRequest,
  decision: RouteDecision,
  timeoutMs: number,
): Promise<Response> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await upstream.complete(request, decision, controller.signal);
  } catch (err) {
    if (timedOut) throw new UpstreamError(`upstream did not answer within ${timeoutMs} ms`, 504);
    if (err instanceof UpstreamError) throw err;
    throw new UpstreamError(`upstream request failed: ${err instanceof Error ? err.message : String(err)}`, 502);
  } finally {
    clearTimeout(timer);
  }
}
