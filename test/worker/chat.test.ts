import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import { TEST_BINDINGS } from "../bindings";
import { chatBody, postJson, putManifest } from "./helpers";

const completion = (content: string, model: string) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model,
  choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
});

/** Fake OpenAI-compatible upstream at the fetch boundary; records what it was sent. */
function fakeUpstream(handler: (body: Record<string, unknown>, url: string) => Response | Promise<Response>) {
  const calls: { url: string; body: Record<string, unknown> }[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    calls.push({ url, body });
    return handler(body, url);
  });
  return calls;
}

beforeEach(() => putManifest());
afterEach(() => vi.restoreAllMocks());

describe("POST /v1/chat/completions (OpenAI-compatible upstream)", () => {
  it.each([
    ["sw", "Tafadhali nieleze jinsi mvua inavyonyesha.", "compass-sw"],
    ["de", "Bitte erkläre mir, wie Regen entsteht.", "compass-de"],
    ["ja", "雨はどのようにして降るのですか？", "compass-ja"],
    ["ru", "Объясни, пожалуйста, как образуется дождь.", null],
  ])("forwards %s requests with the adapter as the model name", async (language, text, adapter) => {
    const calls = fakeUpstream((body) => Response.json(completion("ok", String(body.model))));
    const res = await postJson("/v1/chat/completions", chatBody(text));
    expect(res.status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(`${TEST_BINDINGS.UPSTREAM_URL}/v1/chat/completions`);
    expect(calls[0]?.body.model).toBe(adapter ?? "meta-llama/Llama-3.1-8B-Instruct");
    expect(calls[0]?.body.messages).toEqual(chatBody(text).messages);
    expect(res.headers.get("x-compass-language")).toBe(language);
    expect(res.headers.get("x-compass-adapter")).toBe(adapter ?? "base");
    expect(Number(res.headers.get("x-compass-confidence"))).toBeGreaterThan(0.5);
    expect(await res.json()).toMatchObject({ object: "chat.completion" });
  });

  it("passes an SSE stream through unbuffered", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const encoder = new TextEncoder();
    fakeUpstream(() => {
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode('data: {"choices":[{"delta":{"content":"Habari"}}]}\n\n'));
          await gate; // the upstream holds the rest back until the client has seen the first event
          controller.enqueue(encoder.encode("data: [DONE]\n\n"));
          controller.close();
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    });
    const res = await postJson("/v1/chat/completions", chatBody("Habari za asubuhi, rafiki yangu?", { stream: true }));
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("x-compass-adapter")).toBe("compass-sw");
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("Habari");
    release();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toContain("[DONE]");
  });

  it("answers 502 when the upstream cannot be reached", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("connection refused"));
    const res = await postJson("/v1/chat/completions", chatBody("Mji mkuu wa Kenya ni upi?"));
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { code: "upstream_unavailable" } });
  });

  it("answers 504 when the upstream does not answer in time", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(
      (_input, init) =>
        new Promise((_, reject) =>
          init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
        ),
    );
    const res = await postJson("/v1/chat/completions", chatBody("Mji mkuu wa Kenya ni upi?"), {
      UPSTREAM_TIMEOUT_MS: "20",
    });
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ error: { code: "upstream_timeout" } });
  });
});

describe("bad input gets OpenAI-shaped 4xx errors", () => {
  beforeEach(() => {
    fakeUpstream(() => Response.json(completion("should not be called", "x")));
  });

  it.each([
    ["malformed JSON", '{ "messages": [', 400],
    ["missing messages", { model: "x" }, 400],
    ["messages of the wrong type", { messages: "hello" }, 400],
    ["an empty messages array", { messages: [] }, 400],
    ["a message with an unknown role", { messages: [{ role: "robot", content: "hi" }] }, 400],
    ["temperature of the wrong type", { messages: [{ role: "user", content: "hi" }], temperature: "hot" }, 400],
    ["no user message", { messages: [{ role: "system", content: "Be brief." }] }, 400],
    ["an empty user message", { messages: [{ role: "user", content: "   " }] }, 400],
  ])("rejects %s", async (_, body, status) => {
    const res = await postJson("/v1/chat/completions", body);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { message: string; type: string } };
    expect(json.error.type).toBe("invalid_request_error");
    expect(json.error.message.length).toBeGreaterThan(0);
    expect(globalThis.fetch).not.toHaveBeenCalled();
  });

  it("rejects an oversized body with 413", async () => {
    const res = await postJson("/v1/chat/completions", chatBody("a".repeat(2000)), { MAX_BODY_BYTES: "1000" });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it("rejects a non-JSON content type with 415", async () => {
    const res = await app.request(
      "/v1/chat/completions",
      { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" },
      env,
    );
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
  });

  it("rejects empty text on /v1/route", async () => {
    const res = await postJson("/v1/route", { text: "" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "empty_text", param: "text" } });
  });

  it("answers unknown paths with a JSON 404", async () => {
    const res = await app.request("/v2/nothing", {}, env);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});

describe("POST /v1/chat/completions (Workers AI binding)", () => {
  const workersAi = (run: (model: string, inputs: Record<string, unknown>) => Promise<unknown>) =>
    ({ UPSTREAM_KIND: "workers-ai", AI: { run } as unknown as Ai }) satisfies Partial<Env>;

  it("calls env.AI.run with the base model and the adapter as lora", async () => {
    const run = vi.fn(async () => ({ response: "Nairobi." }));
    const res = await postJson("/v1/chat/completions", chatBody("Mji mkuu wa Kenya ni upi?"), workersAi(run));
    expect(res.status).toBe(200);
    expect(run).toHaveBeenCalledWith(
      "meta-llama/Llama-3.1-8B-Instruct",
      expect.objectContaining({ lora: "compass-sw", stream: false }),
    );
    expect(await res.json()).toMatchObject({
      object: "chat.completion",
      choices: [{ message: { role: "assistant", content: "Nairobi." } }],
    });
    expect(res.headers.get("x-compass-adapter")).toBe("compass-sw");
  });

  it("sends no lora for base-model requests", async () => {
    const run = vi.fn(async (_model: string, _inputs: Record<string, unknown>) => ({ response: "Оттава." }));
    await postJson("/v1/chat/completions", chatBody("Какая столица Канады?"), workersAi(run));
    expect(run.mock.calls[0]?.[1]).not.toHaveProperty("lora");
  });

  it("re-frames a Workers AI stream as OpenAI chunks", async () => {
    const encoder = new TextEncoder();
    const run = vi.fn(
      async () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode('data: {"response":"Nai"}\n\ndata: {"resp'));
            controller.enqueue(encoder.encode('onse":"robi"}\n\ndata: [DONE]\n\n'));
            controller.close();
          },
        }),
    );
    const res = await postJson(
      "/v1/chat/completions",
      chatBody("Mji mkuu wa Kenya ni upi?", { stream: true }),
      workersAi(run),
    );
    const text = await res.text();
    const events = text
      .split("\n\n")
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ""));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events
      .slice(0, -1)
      .map(
        (e) =>
          JSON.parse(e) as { object: string; choices: { delta: { content?: string }; finish_reason: string | null }[] },
      );
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Nairobi");
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
  });

  it.each([
    ["3040: Capacity temporarily exceeded, please try again.", 503, "upstream_overloaded"],
    ["3036: You have used up your daily free allocation of 10,000 neurons.", 429, "rate_limit_exceeded"],
    ["5007: No such model @cf/x/y or task", 502, "upstream_model_unavailable"],
    ["5005: The model does not support LoRa inference", 502, "upstream_model_unavailable"],
    ["3006: Request is too large", 413, "payload_too_large"],
    ["AiError: AiError: 3007: Request timeout (a613c7db)", 504, "upstream_timeout"],
    ["3003: Request is missing headers or body: messages", 400, "upstream_rejected_request"],
    ["connect to gpu-7.internal.example failed", 502, "upstream_unavailable"],
  ])("maps the Workers AI error '%s' to %i %s without echoing its text", async (message, status, code) => {
    const run = vi.fn(async () => {
      throw new Error(message);
    });
    const res = await postJson("/v1/chat/completions", chatBody("Mji mkuu wa Kenya ni upi?"), workersAi(run));
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).not.toContain(message.replace(/^(?:\w*Error:\s*)*\d{4}:\s*/, ""));
  });

  it("answers 504 when Workers AI does not answer in time", async () => {
    const run = vi.fn(() => new Promise<unknown>(() => {}));
    const res = await postJson("/v1/chat/completions", chatBody("Mji mkuu wa Kenya ni upi?"), {
      ...workersAi(run),
      UPSTREAM_TIMEOUT_MS: "20",
    });
    expect(res.status).toBe(504);
  });
});

describe("GET /v1/models and /healthz", () => {
  it("lists the aliases, the base model and every adapter per language, each card complete", async () => {
    const res = await app.request("/v1/models", {}, env);
    const body = (await res.json()) as { data: { id: string; created: number; language?: string; role: string }[] };
    expect(body.data[0]).toMatchObject({ id: "auto", object: "model", role: "router" });
    expect(body.data[1]).toMatchObject({ id: "meta-llama/Llama-3.1-8B-Instruct", role: "base" });
    expect(body.data).toContainEqual(expect.objectContaining({ id: "compass-sw", language: "sw", role: "adapter" }));
    expect(body.data).toContainEqual(expect.objectContaining({ id: "target-yo", language: "yo", role: "target-only" }));
    expect(body.data).toContainEqual(expect.objectContaining({ id: "compass-fr-v5", language: "fr", role: "canary" }));
    for (const card of body.data) {
      expect(card).toMatchObject({ object: "model", owned_by: "compass" });
      expect(Number.isInteger(card.created)).toBe(true);
    }
  });

  it("serves GET /v1/models/{id}, ids with slashes included, and 404 model_not_found otherwise", async () => {
    const base = await app.request("/v1/models/meta-llama/Llama-3.1-8B-Instruct", {}, env);
    expect(await base.json()).toMatchObject({ id: "meta-llama/Llama-3.1-8B-Instruct", object: "model", role: "base" });
    const adapter = await app.request("/v1/models/compass-sw", {}, env);
    expect(await adapter.json()).toMatchObject({ id: "compass-sw", language: "sw", version: "3" });
    const missing = await app.request("/v1/models/gpt-4o", {}, env);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "model_not_found", param: "model" } });
  });

  it("reports health and whether a manifest is loaded", async () => {
    const res = await app.request("/healthz", {}, env);
    expect(await res.json()).toMatchObject({ status: "ok", manifest: "loaded", upstream: "openai" });
  });
});
