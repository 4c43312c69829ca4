/**
 * One interface over the two upstream kinds (chosen by UPSTREAM_KIND in wrangler.toml):
 * - `openai`: an OpenAI-compatible server that serves adapters by model name (vLLM `--enable-lora`, LoRAX): the
 *   request's `model` is the adapter name, or the base model id when no adapter applies.
 * - `workers-ai`: the Workers AI binding, `env.AI.run(baseModel, { messages, lora: adapter })`.
 * Both return an OpenAI-shaped Response (JSON, or an SSE stream passed through unbuffered).
 */

import type { Config } from "../config";
import { apiError } from "../errors";
import type { RouteDecision } from "../route";
import type { ChatCompletionRequest } from "../schemas";
import { openAIUpstream } from "./openai";
import { type Upstream, UpstreamError } from "./types";
import { type AiRunner, workersAIUpstream } from "./workers-ai";

export { type Upstream, UpstreamError } from "./types";

/**
 * The upstream the config names. `apiKey` is what the OpenAI-compatible upstream receives as its bearer token
 * (UPSTREAM_API_KEY, or the client's key under AUTH_MODE=passthrough).
 */
export function upstreamFor(config: Config, env: Env, apiKey: string | null): Upstream {
  switch (config.UPSTREAM_KIND) {
    case "openai":
      // config.ts requires UPSTREAM_URL for this kind.
      return openAIUpstream(config.UPSTREAM_URL ?? "", {
        apiKey,
        clientKeyPassedThrough: config.AUTH_MODE === "passthrough",
        idleTimeoutMs: config.UPSTREAM_IDLE_TIMEOUT_MS,
      });
    case "workers-ai":
      if (!env.AI)
        throw apiError(
          500,
          "UPSTREAM_KIND is workers-ai but no AI binding is configured",
          "misconfigured",
          "server_error",
        );
      // Ai's own typings overload run() on literal model names; the base model here is data from the manifest.
      return workersAIUpstream(env.AI as unknown as AiRunner, config.UPSTREAM_IDLE_TIMEOUT_MS);
  }
}

/**
 * Run `upstream.complete` with a deadline: past `timeoutMs` without response headers (or without the whole body of a
 * non-streamed answer) the call is aborted and reported as 504. A stream that has started is guarded by the idle
 * timeout instead. A failure to reach the upstream is logged with its cause and answered 502 without it.
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
    if (timedOut)
      throw new UpstreamError(`the upstream did not answer within ${timeoutMs} ms`, 504, "upstream_timeout");
    if (err instanceof UpstreamError) throw err;
    console.warn("compass: upstream request failed", String(err));
    throw new UpstreamError("the upstream could not be reached", 502, "upstream_unavailable");
  } finally {
    clearTimeout(timer);
  }
}
