// A minimal OpenAI-compatible chat server for local runs of the worker: it answers every request by naming the
// model (adapter) it was asked for, like a vLLM server started with --enable-lora would serve that adapter. It stands
// in for the GPU server that cannot run on a laptop; nothing in the worker knows it is not vLLM.
// With `{ baseModel }` it serves, like vLLM, only the base model and the adapters loaded at runtime through
// `POST /v1/load_lora_adapter` ({lora_name, lora_path}; vLLM with VLLM_ALLOW_RUNTIME_LORA_UPDATING): any other model
// is answered 404, as vLLM answers it. Without it, every name is served (the routing demo's stand-in adapters).
// With `{ failing: [names] }` it answers those models 500, like a server whose adapter is broken (the demo's bad canary).
// Usage: node scripts/local-upstream.mjs [port]
import { createServer } from "node:http";

const json = (res, status, body) =>
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

/** Read a small JSON body (this server's requests are chat messages and adapter names). */
function readJson(req, then) {
  let raw = "";
  req.on("data", (chunk) => {
    raw += chunk;
  });
  req.on("end", () => then(JSON.parse(raw)));
}

export function startLocalUpstream(port = 8788, { baseModel, failing = [] } = {}) {
  const broken = new Set(failing);
  /** Adapter name → path, when this upstream enforces loaded adapters. */
  const loaded = baseModel ? new Map() : null;
  const server = createServer((req, res) => {
    if (loaded && req.method === "POST" && req.url === "/v1/load_lora_adapter") {
      readJson(req, ({ lora_name: name, lora_path: path }) => {
        if (loaded.has(name))
          return json(res, 400, { error: { message: `The lora adapter '${name}' has already been loaded.` } });
        loaded.set(name, path);
        res.writeHead(200).end(`Success: LoRA adapter '${name}' added successfully.`);
      });
      return;
    }
    if (req.method !== "POST" || !req.url?.endsWith("/v1/chat/completions")) {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    readJson(req, (body) => {
      if (broken.has(body.model))
        return json(res, 500, { error: { message: `adapter ${body.model} failed to load`, type: "server_error" } });
      if (loaded && body.model !== baseModel && !loaded.has(body.model))
        return json(res, 404, {
          error: { message: `The model \`${body.model}\` does not exist.`, type: "NotFoundError", code: 404 },
        });
      const last = body.messages.filter((m) => m.role === "user").at(-1);
      const content = `[${body.model}] received: ${typeof last?.content === "string" ? last.content : "(parts)"}`;
      if (body.stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (const word of content.split(" ")) {
          res.write(
            `data: ${JSON.stringify({ object: "chat.completion.chunk", model: body.model, choices: [{ index: 0, delta: { content: `${word} ` } }] })}\n\n`,
          );
        }
        res.end("data: [DONE]\n\n");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-local",
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 8788);
  await startLocalUpstream(port);
  console.log(`local OpenAI-compatible upstream on http://127.0.0.1:${port}`);
}
