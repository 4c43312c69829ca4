import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorType } from "../errors";
import type { RouteDecision } from "../route";
import type { ChatCompletionRequest } from "../schemas";
import { guardedSse, readBounded } from "./stream";
import { type Upstream, UpstreamError } from "./types";

/** Response headers worth passing back from the upstream (hop-by-hop and encoding headers are not). */
const PASSED_HEADERS = ["content-type", "cache-control", "x-request-id", "openai-processing-ms"];
/** How much of an upstream error body is read (for the log) before the rest is cancelled. */
export const ERROR_BODY_BYTES = 4096;
/** Bound on a non-streamed completion: with max_tokens and n bounded, a real one is far smaller. */
export const MAX_COMPLETION_BYTES = 4 * 1_048_576;
/** Upstream headers a client needs to back off: kept on every mapped error. */
const BACKOFF_HEADER = /^(?:retry-after|x-ratelimit-.+)$/i;

interface Mapped {
  status: ContentfulStatusCode;
  code: string;
  type: ErrorType;
  message: string;
}

/**
 * The answer a client gets for an upstream status other than 200 (README, "Upstream failures"). Statuses about the
 * request keep their meaning; statuses about the deployment (the upstream refusing compass's key, not serving the
 * adapter compass chose, answering with a redirect) are the worker's failure, 502.
 */
export function mapUpstreamStatus(status: number, clientKeyPassedThrough: boolean): Mapped {
  const of = (s: ContentfulStatusCode, code: string, message: string, type: ErrorType = "upstream_error"): Mapped => ({
    status: s,
    code,
    type,
    message,
  });
  switch (status) {
    case 400:
    case 422:
      return of(
        400,
        "upstream_rejected_request",
        `the upstream rejected the request (${status})`,
        "invalid_request_error",
      );
    case 401:
    case 403:
      return clientKeyPassedThrough
        ? of(401, "invalid_api_key", "the upstream refused the API key", "invalid_request_error")
        : of(502, "upstream_auth_failed", "the upstream refused the worker's credentials");
    case 404:
      return of(502, "upstream_model_unavailable", "the upstream does not serve the model the request was routed to");
    case 408:
    case 504:
      return of(504, "upstream_timeout", `the upstream timed out (${status})`);
    case 413:
      return of(413, "payload_too_large", "the upstream refused the request as too large", "invalid_request_error");
    case 429:
      return of(429, "rate_limit_exceeded", "the upstream is rate-limiting requests; retry later", "rate_limit_error");
    case 503:
      return of(503, "upstream_overloaded", "the upstream is overloaded or starting; retry later");
    default:
      return status < 400
        ? of(502, "upstream_invalid_response", `the upstream answered ${status} instead of a completion`)
        : of(502, "upstream_unavailable", `the upstream failed (${status})`);
  }
}

async function upstreamFailure(res: Response, clientKeyPassedThrough: boolean): Promise<UpstreamError> {
  const { bytes } = await readBounded(res.body, ERROR_BODY_BYTES);
  // For the operator's log only: an upstream error body can name hosts and internals, so the client never sees it.
  console.warn(`compass: upstream answered ${res.status}:`, new TextDecoder().decode(bytes).slice(0, 500));
  const mapped = mapUpstreamStatus(res.status, clientKeyPassedThrough);
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (BACKOFF_HEADER.test(name)) headers[name] = value;
  });
  return new UpstreamError(mapped.message, mapped.status, mapped.code, mapped.type, headers);
}

const invalidResponse = (why: string) =>
  new UpstreamError(`the upstream answered 200 with ${why}`, 502, "upstream_invalid_response");

export interface OpenAIUpstreamOptions {
  /** Sent as `Authorization: Bearer` when set (vLLM `--api-key`, a hosted OpenAI-compatible API). */
  apiKey: string | null;
  /** The key is the client's own (AUTH_MODE=passthrough): an upstream 401 is then the client's 401. */
  clientKeyPassedThrough: boolean;
  /** Longest silence inside a stream (UPSTREAM_IDLE_TIMEOUT_MS). */
  idleTimeoutMs: number;
}

/**
 * An OpenAI-compatible upstream that selects adapters by model name (vLLM, LoRAX).
 * @param baseUrl server root, e.g. `http://127.0.0.1:8000` (the `/v1/chat/completions` path is appended)
 */
export function openAIUpstream(baseUrl: string, options: OpenAIUpstreamOptions): Upstream {
  const url = `${baseUrl.replace(/\/+$/, "")}/v1/chat/completions`;
  const requestHeaders: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey) requestHeaders.authorization = `Bearer ${options.apiKey}`;
  return {
    kind: "openai",
    async complete(request: ChatCompletionRequest, decision: RouteDecision, signal: AbortSignal): Promise<Response> {
      const body = JSON.stringify({ ...request, model: decision.adapter ?? decision.baseModel });
      // No redirects: an API that redirects is misconfigured, and following one would carry the bearer key along.
      const res = await fetch(url, { method: "POST", headers: requestHeaders, body, signal, redirect: "manual" });
      if (res.status !== 200) throw await upstreamFailure(res, options.clientKeyPassedThrough);
      const headers = new Headers();
      for (const name of PASSED_HEADERS) {
        const value = res.headers.get(name);
        if (value) headers.set(name, value);
      }
      if (res.body && headers.get("content-type")?.startsWith("text/event-stream")) {
        // SSE chunks reach the client as the upstream emits them; a stall or a cut ends with an error event.
        return new Response(guardedSse(res.body, options.idleTimeoutMs), { status: 200, headers });
      }
      const { bytes, complete } = await readBounded(res.body, MAX_COMPLETION_BYTES);
      if (!complete) throw invalidResponse(`more than ${MAX_COMPLETION_BYTES} bytes`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        throw invalidResponse("a body that is not JSON");
      }
      if (!parsed || typeof parsed !== "object" || !Array.isArray((parsed as { choices?: unknown }).choices))
        throw invalidResponse("JSON that is not a chat completion");
      headers.set("content-type", "application/json");
      return new Response(bytes, { status: 200, headers });
    },
  };
}
