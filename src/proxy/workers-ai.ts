import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorType } from "../errors";
import type { RouteDecision } from "../route";
import type { ChatCompletionRequest } from "../schemas";
import { guardedSse } from "./stream";
import { type Upstream, UpstreamError } from "./types";

/** The slice of the AI binding compass uses. */
export interface AiRunner {
  run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
}

/** OpenAI fields Workers AI text-generation models accept under the same name. */
const FORWARDED = [
  "max_tokens",
  "temperature",
  "top_p",
  "top_k",
  "seed",
  "frequency_penalty",
  "presence_penalty",
] as const;

/** What the client gets for a Workers AI error: [status, code, type, message]. */
type Mapped = [ContentfulStatusCode, string, ErrorType, string];

/**
 * Workers AI's documented error codes (developers.cloudflare.com/workers-ai/platform/errors/), which the binding
 * puts at the start of the thrown error's message ("3040: Capacity temporarily exceeded, please try again."), mapped
 * the way the OpenAI-compatible upstream's statuses are (README, "Upstream failures"): about the request → 4xx, about
 * the deployment (a model or LoRA it cannot serve, an account it may not use) → 502, capacity and quota → 503/429.
 */
const WORKERS_AI_ERRORS: Record<string, Mapped> = {
  "3003": [400, "upstream_rejected_request", "invalid_request_error", "the upstream rejected the request (incomplete)"],
  "5004": [
    400,
    "upstream_rejected_request",
    "invalid_request_error",
    "the upstream rejected the request (invalid data)",
  ],
  "3006": [413, "payload_too_large", "invalid_request_error", "the upstream refused the request as too large"],
  "3007": [504, "upstream_timeout", "upstream_error", "the upstream timed out"],
  "3008": [504, "upstream_timeout", "upstream_error", "the upstream aborted the request"],
  "3040": [503, "upstream_overloaded", "upstream_error", "the upstream is out of capacity; retry later"],
  "3036": [429, "rate_limit_exceeded", "rate_limit_error", "the deployment has used up its Workers AI allocation"],
  "5007": [502, "upstream_model_unavailable", "upstream_error", "the upstream does not serve the model"],
  "3042": [502, "upstream_model_unavailable", "upstream_error", "the upstream does not serve the model"],
  "5005": [502, "upstream_model_unavailable", "upstream_error", "the upstream's model does not take LoRA adapters"],
  "3039": [502, "upstream_model_unavailable", "upstream_error", "the upstream's fine-tune is missing files"],
  "5016": [502, "upstream_auth_failed", "upstream_error", "the upstream refused the worker's account"],
  "5018": [502, "upstream_auth_failed", "upstream_error", "the upstream refused the worker's account"],
  "3023": [502, "upstream_auth_failed", "upstream_error", "the upstream refused the worker's account"],
  "3041": [502, "upstream_auth_failed", "upstream_error", "the upstream refused the worker's account"],
};

/** The client's error for what `AI.run` threw; the message itself goes to the log only (it can name internals). */
export function mapWorkersAIError(err: unknown): UpstreamError {
  const message = err instanceof Error ? err.message : String(err);
  console.warn("compass: Workers AI failed:", message.slice(0, 500));
  const code = /^(?:\w*Error:\s*)*(\d{4})\s*:/.exec(message)?.[1];
  const [status, errorCode, type, text] = (code && WORKERS_AI_ERRORS[code]) || [
    502,
    "upstream_unavailable",
    "upstream_error",
    "the upstream failed",
  ];
  return new UpstreamError(code ? `${text} (Workers AI ${code})` : text, status, errorCode, type);
}

/**
 * Workers AI as the upstream: the base model is `decision.baseModel` (a Workers AI model id such as
 * `@cf/mistral/mistral-7b-instruct-v0.2-lora`) and the adapter is passed as `lora` (a fine-tune uploaded with
 * `wrangler ai finetune create`). Results are converted to OpenAI's chat.completion / chat.completion.chunk shapes.
 */
export function workersAIUpstream(ai: AiRunner, idleTimeoutMs: number): Upstream {
  return {
    kind: "workers-ai",
    async complete(request: ChatCompletionRequest, decision: RouteDecision, signal: AbortSignal): Promise<Response> {
      const inputs: Record<string, unknown> = { messages: request.messages, stream: request.stream === true };
      for (const key of FORWARDED) if (request[key] != null) inputs[key] = request[key];
      if (decision.adapter) inputs.lora = decision.adapter;
      const model = decision.adapter ? `${decision.baseModel}:${decision.adapter}` : decision.baseModel;
      let result: unknown;
      try {
        result = await abortable(ai.run(decision.baseModel, inputs), signal);
      } catch (err) {
        // The deadline's abort is completeWithDeadline's to report (504); anything else is Workers AI's answer.
        if (signal.aborted) throw err;
        throw mapWorkersAIError(err);
      }
      const id = `chatcmpl-${crypto.randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);
      if (result instanceof ReadableStream) {
        return new Response(guardedSse(result, idleTimeoutMs, toOpenAIChunks(id, created, model)), {
          headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
        });
      }
      if (!result || typeof result !== "object" || typeof (result as { response?: unknown }).response !== "string") {
        throw new UpstreamError("Workers AI returned no text response", 502, "upstream_invalid_response");
      }
      const { response, usage } = result as { response: string; usage?: Record<string, number> };
      return Response.json({
        id,
        object: "chat.completion",
        created,
        model,
        choices: [{ index: 0, message: { role: "assistant", content: response }, finish_reason: "stop" }],
        ...(usage ? { usage } : {}),
      });
    },
  };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error("aborted"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Re-frame Workers AI SSE (`data: {"response":"…"}`) as OpenAI chat.completion.chunk events, line by line. */
function toOpenAIChunks(id: string, created: number, model: string): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = "";
  let first = true;
  const chunk = (delta: Record<string, string>, finish: string | null) =>
    encoder.encode(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
    );
  const handleLine = (line: string, controller: TransformStreamDefaultController<Uint8Array>) => {
    if (!line.startsWith("data:")) return;
    const data = line.slice(5).trim();
    if (data === "[DONE]") return;
    let text: unknown;
    try {
      text = (JSON.parse(data) as { response?: unknown }).response;
    } catch {
      return; // a malformed event from the upstream is dropped rather than ending the client's stream
    }
    if (typeof text !== "string" || text.length === 0) return;
    controller.enqueue(chunk(first ? { role: "assistant", content: text } : { content: text }, null));
    first = false;
  };
  return new TransformStream({
    transform(bytes, controller) {
      buffer += decoder.decode(bytes, { stream: true });
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        handleLine(buffer.slice(0, newline), controller);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
    },
    flush(controller) {
      if (buffer) handleLine(buffer, controller);
      controller.enqueue(chunk({}, "stop"));
      controller.enqueue(encoder.encode("data: [DONE]\n\n"));
    },
  });
}
