// A local OpenAI-compatible chat server for running the worker without a GPU: it answers every request by naming the
// model (adapter) it was asked for, as a vLLM server started with --enable-lora would serve that adapter, in OpenAI's
// shapes: `chatcmpl-` ids, `created`, `finish_reason`, `usage`, and streams of `chat.completion.chunk` events (role
// first, a final chunk with the finish reason, a usage chunk when `stream_options.include_usage`, then [DONE]).
// With `apiKey` set it refuses requests without that bearer token, as vLLM --api-key does. With `baseModel` it
// serves, like vLLM, only the base model and the adapters loaded at runtime through `POST /v1/load_lora_adapter`
// ({lora_name, lora_path}; vLLM with VLLM_ALLOW_RUNTIME_LORA_UPDATING): any other model is answered 404, as vLLM
// answers it; `POST /v1/unload_lora_adapter` ({lora_name}) drops one again, as a vLLM restart or eviction does
// (404 for a name it does not hold, as vLLM answers); `GET /v1/models` lists them with their paths (`root`). Without
// it, every name is served (the routing demo's stand-in adapters). With `{ failing: [names] }` it answers those
// models 500, like a server whose adapter is broken (the demo's bad canary).
// Usage: node scripts/local-upstream.mjs [port]   (port 0: any free port, printed)
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";

/** Whitespace-separated words: this server's stand-in for a tokenizer, so `usage` counts something real. */
const tokens = (text) => text.split(/\s+/).filter(Boolean).length;

function contentText(content) {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((p) => p.type === "text")
    .map((p) => p.text)
    .join("\n");
}

function sendError(res, status, message, type = "invalid_request_error", code = null) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message, type, param: null, code } }));
}

/** Read a JSON body; a body that is not JSON is answered 400 here. */
function readJson(req, res, then) {
  let raw = "";
  req.setEncoding("utf8");
  req.on("data", (chunk) => {
    raw += chunk;
  });
  req.on("end", () => {
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendError(res, 400, "the body is not JSON");
    }
    then(body);
  });
}

function answer(res, body) {
  const id = `chatcmpl-${randomUUID().replaceAll("-", "")}`;
  const created = Math.floor(Date.now() / 1000);
  const model = body.model;
  const last = body.messages.filter((m) => m.role === "user").at(-1);
  let words = `[${model}] received: ${contentText(last?.content) || "(parts)"}`.split(" ");
  let finishReason = "stop";
  if (typeof body.max_tokens === "number" && words.length > body.max_tokens) {
    words = words.slice(0, body.max_tokens);
    finishReason = "length";
  }
  const content = words.join(" ");
  const usage = {
    prompt_tokens: body.messages.reduce((n, m) => n + tokens(contentText(m.content)), 0),
    completion_tokens: words.length,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const choices = Array.from({ length: body.n ?? 1 }, (_, index) => index);
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json", "x-request-id": id });
    res.end(
      JSON.stringify({
        id,
        object: "chat.completion",
        created,
        model,
        choices: choices.map((index) => ({
          index,
          message: { role: "assistant", content },
          logprobs: null,
          finish_reason: finishReason,
        })),
        usage,
      }),
    );
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-request-id": id });
  const event = (choicesOrNull, extra = {}) =>
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: choicesOrNull, ...extra })}\n\n`,
    );
  for (const index of choices) event([{ index, delta: { role: "assistant", content: "" }, finish_reason: null }]);
  words.forEach((word, i) => {
    for (const index of choices)
      event([{ index, delta: { content: i === 0 ? word : ` ${word}` }, logprobs: null, finish_reason: null }]);
  });
  for (const index of choices) event([{ index, delta: {}, logprobs: null, finish_reason: finishReason }]);
  if (body.stream_options?.include_usage) event([], { usage });
  res.end("data: [DONE]\n\n");
}

/**
 * Start the server on 127.0.0.1.
 * @param {number} port 0 for any free port (read it from `server.address().port`)
 * @param {{ apiKey?: string, baseModel?: string, failing?: string[] }} options
 */
export function startLocalUpstream(port = 0, { apiKey, baseModel, failing = [] } = {}) {
  const broken = new Set(failing);
  /** Adapter name → path, when this upstream enforces loaded adapters. */
  const loaded = baseModel ? new Map() : null;
  const server = createServer((req, res) => {
    if (apiKey && req.headers.authorization !== `Bearer ${apiKey}`) return sendError(res, 401, "invalid API key");
    if (loaded && req.method === "POST" && req.url === "/v1/load_lora_adapter") {
      readJson(req, res, ({ lora_name: name, lora_path: path }) => {
        if (loaded.has(name)) return sendError(res, 400, `The lora adapter '${name}' has already been loaded.`);
        loaded.set(name, path);
        res.writeHead(200).end(`Success: LoRA adapter '${name}' added successfully.`);
      });
      return;
    }
    if (loaded && req.method === "POST" && req.url === "/v1/unload_lora_adapter") {
      readJson(req, res, ({ lora_name: name }) => {
        if (!loaded.delete(name))
          return sendError(res, 404, `The lora adapter '${name}' cannot be found.`, "NotFoundError");
        res.writeHead(200).end(`Success: LoRA adapter '${name}' removed successfully.`);
      });
      return;
    }
    if (loaded && req.method === "GET" && req.url === "/v1/models") {
      // vLLM's listing: the base model, then each loaded adapter with its path as `root` and the base as `parent`.
      const card = (id, root, parent) => ({ id, object: "model", created: 0, owned_by: "vllm", root, parent });
      const data = [
        card(baseModel, baseModel, null),
        ...[...loaded].map(([name, path]) => card(name, path, baseModel)),
      ];
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data }));
      return;
    }
    if (req.method !== "POST" || !req.url?.endsWith("/v1/chat/completions"))
      return sendError(res, 404, `no route for ${req.method} ${req.url}`);
    readJson(req, res, (body) => {
      if (typeof body.model !== "string" || !Array.isArray(body.messages))
        return sendError(res, 400, "model and messages are required");
      if (broken.has(body.model)) return sendError(res, 500, `adapter ${body.model} failed to load`, "server_error");
      if (loaded && body.model !== baseModel && !loaded.has(body.model))
        return sendError(res, 404, `The model \`${body.model}\` does not exist.`, "NotFoundError", 404);
      answer(res, body);
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startLocalUpstream(Number(process.argv[2] ?? 8788), {
    apiKey: process.env.LOCAL_UPSTREAM_API_KEY,
  });
  console.log(`local OpenAI-compatible upstream on http://127.0.0.1:${server.address().port}`);
}
