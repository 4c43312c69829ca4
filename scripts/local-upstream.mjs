// A minimal OpenAI-compatible chat server for local runs of the worker: it answers every request by naming the
// model (adapter) it was asked for, like a vLLM server started with --enable-lora would serve that adapter. It stands
// in for the GPU server that cannot run on a laptop; nothing in the worker knows it is not vLLM.
// With `{ failing: [names] }` it answers those models 500, like a server whose adapter is broken (the demo's bad canary).
// Usage: node scripts/local-upstream.mjs [port]
import { createServer } from "node:http";

export function startLocalUpstream(port = 8788, { failing = [] } = {}) {
  const broken = new Set(failing);
  const server = createServer((req, res) => {
    if (req.method !== "POST" || !req.url?.endsWith("/v1/chat/completions")) {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      const body = JSON.parse(raw);
      if (broken.has(body.model)) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `adapter ${body.model} failed to load`, type: "server_error" } }));
        return;
      }
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
