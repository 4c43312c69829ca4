import type { RouteDecision } from "../route";
import type { ChatCompletionRequest } from "../schemas";
import { type Upstream, UpstreamError } from "./types";

/** Response headers worth passing back from the upstream (hop-by-hop and encoding headers are not). */
const PASSED_HEADERS = ["content-type", "cache-control", "x-request-id", "openai-processing-ms"];

/**
 * An OpenAI-compatible upstream that selects adapters by model name (vLLM, LoRAX).
 * @param baseUrl server root, e.g. `http://127.0.0.1:8000` (the `/v1/chat/completions` path is appended)
 * @param apiKey sent as `Authorization: Bearer` when set (vLLM `--api-key`, a hosted OpenAI-compatible API)
 */
export function openAIUpstream(baseUrl: string, apiKey: string | null): Upstream {
  const url = `${baseUrl.replace(/\/+$/, "")}/v1/chat/completions`;
  const requestHeaders: Record<string, string> = { "content-type": "application/json" };
  if (apiKey) requestHeaders.authorization = `Bearer ${apiKey}`;
  return {
    kind: "openai",
    async complete(request: ChatCompletionRequest, decision: RouteDecision, signal: AbortSignal): Promise<Response> {
      const body = JSON.stringify({ ...request, model: decision.adapter ?? decision.baseModel });
      const res = await fetch(url, { method: "POST", headers: requestHeaders, body, signal });
      if (res.status >= 500) {
        const detail = (await res.text()).slice(0, 500);
        throw new UpstreamError(`upstream answered ${res.status}: ${detail}`, 502, res.status);
      }
      const headers = new Headers();
      for (const name of PASSED_HEADERS) {
        const value = res.headers.get(name);
        if (value) headers.set(name, value);
      }
      // The body stream is handed over as is: SSE chunks reach the client as the upstream emits them.
      return new Response(res.body, { status: res.status, headers });
    },
  };
}
