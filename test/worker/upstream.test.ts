import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ERROR_BODY_BYTES } from "../../src/proxy/openai";
import { chatBody, MANIFEST, postJson, putManifest } from "./helpers";

const SW = "Tafadhali nieleze jinsi mvua inavyonyesha.";
const encoder = new TextEncoder();

const completion = (model: string) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model,
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
});

/** The upstream at the fetch boundary: answers with `respond`, records each request body. */
function upstream(respond: (body: Record<string, unknown>) => Response) {
  const sent: Record<string, unknown>[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (_input, init) => {
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    sent.push(body);
    return respond(body);
  });
  return sent;
}

/** A body of `size` bytes produced on demand, counting what the reader actually pulled. */
function lazyBody(size: number, chunk = 65_536) {
  const pulled = { bytes: 0, cancelled: false };
  const block = encoder.encode("x".repeat(chunk));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= size) return controller.close();
      pulled.bytes += block.byteLength;
      controller.enqueue(block);
    },
    cancel() {
      pulled.cancelled = true;
    },
  });
  return { stream, pulled };
}

beforeEach(() => putManifest());
afterEach(() => vi.restoreAllMocks());

describe("upstream failures are mapped, bounded and never echoed", () => {
  it.each([
    [400, 400, "upstream_rejected_request"],
    [401, 502, "upstream_auth_failed"],
    [403, 502, "upstream_auth_failed"],
    [404, 502, "upstream_model_unavailable"],
    [408, 504, "upstream_timeout"],
    [413, 413, "payload_too_large"],
    [422, 400, "upstream_rejected_request"],
    [429, 429, "rate_limit_exceeded"],
    [500, 502, "upstream_unavailable"],
    [502, 502, "upstream_unavailable"],
    [503, 503, "upstream_overloaded"],
    [504, 504, "upstream_timeout"],
    [204, 502, "upstream_invalid_response"],
    [302, 502, "upstream_invalid_response"],
  ])("maps upstream %i to %i %s without quoting the upstream's body", async (status, expected, code) => {
    const secret = "<html>internal-gpu-7.corp.example: stack trace</html>";
    upstream(() => new Response(status === 204 ? null : secret, { status, headers: { "content-type": "text/html" } }));
    const res = await postJson("/v1/chat/completions", chatBody(SW));
    expect(res.status).toBe(expected);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("x-compass-adapter")).toBe("compass-sw");
    const text = await res.text();
    expect(text).not.toContain("internal-gpu-7");
    expect(JSON.parse(text)).toMatchObject({ error: { code } });
  });

  it("reads a 64 MiB error body only up to a few KiB, cancels the rest and answers 502", async () => {
    const { stream, pulled } = lazyBody(64 * 1_048_576);
    upstream(() => new Response(stream, { status: 500 }));
    const res = await postJson("/v1/chat/completions", chatBody(SW));
    expect(res.status).toBe(502);
    expect(pulled.bytes).toBeLessThanOrEqual(ERROR_BODY_BYTES + 2 * 65_536);
    expect(pulled.cancelled).toBe(true);
  });

  it.each([
    [429, { "retry-after": "7", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "7s" }],
    [503, { "retry-after": "30" }],
  ])("keeps status %i with Retry-After and the x-ratelimit-* headers", async (status, headers) => {
    upstream(() => new Response("slow down", { status, headers: { ...headers, server: "vllm-internal" } }));
    const res = await postJson("/v1/chat/completions", chatBody(SW));
    expect(res.status).toBe(status);
    for (const [name, value] of Object.entries(headers)) expect(res.headers.get(name)).toBe(value);
    expect(res.headers.get("server")).toBeNull();
  });

  it("answers a passed-through client key the upstream refuses with 401", async () => {
    upstream(() => new Response("bad key", { status: 401 }));
    const res = await postJson(
      "/v1/chat/completions",
      chatBody(SW),
      { AUTH_MODE: "passthrough" },
      {
        authorization: "Bearer sk-wrong",
      },
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_api_key" } });
  });

  it.each([
    ["a body that is not JSON", "<html>ok</html>"],
    ["JSON that is not a completion", '{"status":"ok"}'],
  ])("turns a 200 with %s into 502 upstream_invalid_response", async (_, body) => {
    upstream(() => new Response(body, { status: 200, headers: { "content-type": "application/json" } }));
    const res = await postJson("/v1/chat/completions", chatBody(SW));
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { code: "upstream_invalid_response" } });
  });
});

describe("streams end within the idle timeout and report a cut", () => {
  const sse = (events: string[], then: "hang" | "end") =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const event of events) controller.enqueue(encoder.encode(`data: ${event}\n\n`));
          if (then === "end") controller.close();
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    );
  const chunk = JSON.stringify({
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta: { content: "Habari" } }],
  });
  const lastEvent = (text: string) =>
    JSON.parse(
      text
        .trim()
        .split("\n\n")
        .at(-1)!
        .replace(/^data: /, ""),
    );

  it("ends a stalled stream with an error event once UPSTREAM_IDLE_TIMEOUT_MS passes", async () => {
    upstream(() => sse([chunk], "hang"));
    const started = Date.now();
    const res = await postJson("/v1/chat/completions", chatBody(SW, { stream: true }), {
      UPSTREAM_IDLE_TIMEOUT_MS: "200",
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(text).toContain("Habari");
    expect(lastEvent(text)).toMatchObject({ error: { code: "upstream_idle_timeout", type: "upstream_error" } });
  });

  it("ends a stream cut before [DONE] with an error event, not a clean end", async () => {
    upstream(() => sse([chunk], "end"));
    const text = await (await postJson("/v1/chat/completions", chatBody(SW, { stream: true }))).text();
    expect(text).not.toContain("[DONE]");
    expect(lastEvent(text)).toMatchObject({ error: { code: "upstream_truncated" } });
  });

  it("passes a complete stream through unchanged", async () => {
    upstream(() => sse([chunk, "[DONE]"], "end"));
    const text = await (await postJson("/v1/chat/completions", chatBody(SW, { stream: true }))).text();
    expect(text).toBe(`data: ${chunk}\n\ndata: [DONE]\n\n`);
  });
});

describe("cost bounds and the unknown-field policy", () => {
  it.each([
    ["max_tokens", { max_tokens: 4097 }],
    ["max_completion_tokens", { max_completion_tokens: 100_000 }],
    ["n", { n: 5 }],
  ])("refuses %s above its configured limit with 400 naming the field", async (param, extra) => {
    const sent = upstream((body) => Response.json(completion(String(body.model))));
    const res = await postJson("/v1/chat/completions", chatBody(SW, extra));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "limit_exceeded", param } });
    expect(sent).toHaveLength(0);
  });

  it("honours configured limits (MAX_TOKENS_LIMIT, MAX_N)", async () => {
    upstream((body) => Response.json(completion(String(body.model))));
    const limits = { MAX_TOKENS_LIMIT: "100", MAX_N: "1" };
    expect((await postJson("/v1/chat/completions", chatBody(SW, { max_tokens: 101 }), limits)).status).toBe(400);
    expect((await postJson("/v1/chat/completions", chatBody(SW, { n: 2 }), limits)).status).toBe(400);
    expect((await postJson("/v1/chat/completions", chatBody(SW, { max_tokens: 100, n: 1 }), limits)).status).toBe(200);
  });

  it("sends max_tokens = MAX_TOKENS_LIMIT when the request bounds no token count", async () => {
    const sent = upstream((body) => Response.json(completion(String(body.model))));
    await postJson("/v1/chat/completions", chatBody(SW), { MAX_TOKENS_LIMIT: "256" });
    await postJson("/v1/chat/completions", chatBody(SW, { max_tokens: 12 }), { MAX_TOKENS_LIMIT: "256" });
    expect(sent.map((body) => body.max_tokens)).toEqual([256, 12]);
  });

  it("refuses an unknown top-level field with 400 unknown_parameter, and keeps unknown message fields", async () => {
    const sent = upstream((body) => Response.json(completion(String(body.model))));
    const refused = await postJson("/v1/chat/completions", chatBody(SW, { best_of: 64 }));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: "unknown_parameter", param: "best_of" } });
    const body = chatBody(SW, { tools: [{ type: "function", function: { name: "f" } }], seed: 3 });
    body.messages.push({ role: "assistant", content: "x", tool_calls: [] } as never);
    body.messages.push({ role: "user", content: SW });
    expect((await postJson("/v1/chat/completions", body)).status).toBe(200);
    expect(sent[0]).toMatchObject({ seed: 3, tools: [{ type: "function" }] });
    expect(sent[0]?.messages).toContainEqual({ role: "assistant", content: "x", tool_calls: [] });
  });
});

describe("OpenAI model semantics", () => {
  it.each([
    ["an adapter of the manifest", "compass-de", "compass-de"],
    ["a canary adapter", "compass-fr-v5", "compass-fr-v5"],
    ["the base model", "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"],
  ])("honours a model naming %s as the client's choice (reason client-model)", async (_, model, sentModel) => {
    const sent = upstream((body) => Response.json(completion(String(body.model))));
    const res = await postJson("/v1/chat/completions", { ...chatBody(SW), model });
    expect(res.status).toBe(200);
    expect(sent[0]?.model).toBe(sentModel);
    expect(res.headers.get("x-compass-reason")).toBe("client-model");
    expect(res.headers.get("x-compass-language")).toBe("sw");
  });

  it("answers a model naming an adapter whose sha256 the manifest does not state with 404, never serving it", async () => {
    const sent = upstream((body) => Response.json(completion(String(body.model))));
    await putManifest({
      ...MANIFEST,
      languages: { ...MANIFEST.languages, hi: { adapter: { name: "forged", version: "1" } } },
    });
    const res = await postJson("/v1/chat/completions", { ...chatBody(SW), model: "forged" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "model_not_found" } });
    expect(sent).toHaveLength(0);
  });

  it("routes by language for every configured alias and for no model at all", async () => {
    const sent = upstream((body) => Response.json(completion(String(body.model))));
    const aliases = { MODEL_ALIASES: "auto, compass, meta-llama/Llama-3.1-8B-Instruct" };
    for (const model of ["auto", "compass", "meta-llama/Llama-3.1-8B-Instruct", undefined]) {
      const res = await postJson("/v1/chat/completions", { ...chatBody(SW), model }, aliases);
      expect(res.headers.get("x-compass-reason")).toBe("adapter");
    }
    expect(sent.map((body) => body.model)).toEqual(["compass-sw", "compass-sw", "compass-sw", "compass-sw"]);
  });

  it("answers any other model name with 404 model_not_found", async () => {
    const sent = upstream((body) => Response.json(completion(String(body.model))));
    const res = await postJson("/v1/chat/completions", { ...chatBody(SW), model: "gpt-4o" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "model_not_found", param: "model" } });
    expect(sent).toHaveLength(0);
  });

  const image = { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } };

  it("routes an image-only last user turn by the earlier user text", async () => {
    const sent = upstream((body) => Response.json(completion(String(body.model))));
    const res = await postJson("/v1/chat/completions", {
      model: "auto",
      messages: [
        { role: "user", content: "Wie funktioniert die Photosynthese bei Pflanzen?" },
        { role: "assistant", content: "Mit Licht." },
        { role: "user", content: [image] },
      ],
    });
    expect(res.status).toBe(200);
    expect(sent[0]?.model).toBe("compass-de");
  });

  it("routes images with no text anywhere to the base model (reason no-text)", async () => {
    upstream((body) => Response.json(completion(String(body.model))));
    const res = await postJson("/v1/chat/completions", { messages: [{ role: "user", content: [image] }] });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-compass-reason")).toBe("no-text");
    expect(res.headers.get("x-compass-adapter")).toBe("base");
  });
});

describe("CORS for configured origins", () => {
  const origins = { CORS_ORIGINS: "https://app.example.com" };

  it("answers a preflight from a configured origin without asking for a key", async () => {
    const { app } = await import("../../src/app");
    const { env } = await import("cloudflare:workers");
    const res = await app.request(
      "/v1/chat/completions",
      {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example.com",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      },
      { ...env, ...origins, AUTH_MODE: "keys", CLIENT_API_KEYS: "k-1" },
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(res.headers.get("access-control-allow-headers")).toContain("authorization");
  });

  it("exposes the routing headers to a configured origin and sends nothing to others", async () => {
    upstream((body) => Response.json(completion(String(body.model))));
    const allowed = await postJson("/v1/chat/completions", chatBody(SW), origins, {
      origin: "https://app.example.com",
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(allowed.headers.get("access-control-expose-headers")).toContain("x-compass-adapter");
    const other = await postJson("/v1/chat/completions", chatBody(SW), origins, { origin: "https://evil.example" });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const unset = await postJson("/v1/chat/completions", chatBody(SW), {}, { origin: "https://app.example.com" });
    expect(unset.headers.get("access-control-allow-origin")).toBeNull();
  });
});
