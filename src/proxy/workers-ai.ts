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
      const result = await abortable(ai.run(decision.baseModel, inputs), signal);
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
