/// <reference types="node" />
/**
 * The worker as a client meets it: `wrangler dev` (workerd) on a free port of 127.0.0.1, the official `openai` npm
 * client, the local OpenAI-compatible upstream, and a fault-injecting upstream in front of it. The manifest TTL is one
 * second, so the load test crosses many refreshes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../scripts/local-stack.mjs";
import { startLocalUpstream } from "../../scripts/local-upstream.mjs";

const IDLE_TIMEOUT_MS = 1_000;
const SW = "Mji mkuu wa Kenya ni upi na una watu wangapi?";

/**
 * Faults chosen by a marker in the last user message; anything else is forwarded to the faithful local upstream.
 * `error64`: a 500 with a 64 MiB body; `rate`: 429 with Retry-After; `overload`: 503 with Retry-After; `stall`: one
 * stream chunk, then silence; `cut`: a stream that stops before [DONE].
 */
async function startFaultyUpstream(faithfulUrl: string): Promise<{ server: Server; url: string; sent: () => number }> {
  let bytesSent = 0;
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", async () => {
      const body = JSON.parse(raw) as { messages: { role: string; content: string }[] };
      const fault = /fault:(\w+)/.exec(body.messages.at(-1)?.content ?? "")?.[1];
      res.on("error", () => {});
      if (fault === "error64") {
        res.writeHead(500, { "content-type": "text/plain" });
        const block = Buffer.alloc(1_048_576, "e");
        let written = 0;
        const write = () => {
          while (written < 64 && !res.destroyed) {
            written++;
            bytesSent += block.length;
            if (!res.write(block)) return void res.once("drain", write);
          }
          res.end();
        };
        write();
      } else if (fault === "rate" || fault === "overload") {
        const headers = {
          "retry-after": "17",
          "x-ratelimit-remaining-requests": "0",
          "x-ratelimit-reset-requests": "17s",
        };
        res.writeHead(fault === "rate" ? 429 : 503, { ...headers, "content-type": "text/plain" }).end("busy at gpu-7");
      } else if (fault === "stall" || fault === "cut") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(
          `data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "Nai" } }] })}\n\n`,
        );
        if (fault === "cut") res.end();
        // stall: nothing more until the worker gives up and closes the connection
      } else {
        const forwarded = await fetch(`${faithfulUrl}${req.url}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: raw,
        });
        res.writeHead(forwarded.status, {
          "content-type": forwarded.headers.get("content-type") ?? "application/json",
        });
        for await (const chunk of forwarded.body ?? []) res.write(chunk);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}`, sent: () => bytesSent };
}

let faithful: Server;
let faulty: Awaited<ReturnType<typeof startFaultyUpstream>>;
let stack: LocalStack;
let persist: string;
let client: OpenAI;

beforeAll(async () => {
  faithful = await startLocalUpstream(0);
  faulty = await startFaultyUpstream(`http://127.0.0.1:${(faithful.address() as { port: number }).port}`);
  persist = mkdtempSync(join(tmpdir(), "compass-e2e-"));
  stack = await startLocalStack({
    upstreamUrl: faulty.url,
    persist,
    vars: { MANIFEST_TTL_MS: "1000", UPSTREAM_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS), TRUST_REGION_HEADER: "false" },
  });
  // The SDK retries 5xx and 429 by default; these tests look at single answers.
  client = new OpenAI({ baseURL: `${stack.workerUrl}/v1`, apiKey: "unused-locally", maxRetries: 0 });
});

afterAll(async () => {
  await stack?.stop();
  faulty?.server.close();
  faithful?.close();
  if (persist) rmSync(persist, { recursive: true, force: true });
});

const chat = (content: string, extra: Record<string, unknown> = {}) =>
  fetch(`${stack.workerUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "auto", messages: [{ role: "user", content }], ...extra }),
  });

describe("the official openai client against the worker", () => {
  it("gets a complete chat.completion routed to the language's adapter", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "auto", messages: [{ role: "user", content: SW }] })
      .withResponse();
    expect(response.headers.get("x-compass-adapter")).toBe("compass-sw");
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.object).toBe("chat.completion");
    expect(Number.isInteger(data.created)).toBe(true);
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.choices[0]?.message.content).toContain("[compass-sw] received:");
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
  });

  it("streams with chat.completions.stream().finalChatCompletion()", async () => {
    const stream = client.chat.completions.stream({
      model: "auto",
      messages: [{ role: "user", content: "Wie funktioniert die Photosynthese bei Pflanzen?" }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(
      "[compass-de] received: Wie funktioniert die Photosynthese bei Pflanzen?",
    );
    expect(final.choices[0]?.finish_reason).toBe("stop");
    expect(final.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("honours a model naming an adapter, and raises NotFoundError for an unknown one", async () => {
    const named = await client.chat.completions.create({
      model: "compass-ja",
      messages: [{ role: "user", content: SW }],
    });
    expect(named.choices[0]?.message.content).toContain("[compass-ja]");
    await expect(
      client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: SW }] }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain("compass-sw");
    expect((await client.models.retrieve("compass-sw")).created).toBeGreaterThan(0);
  });

  it("raises on a stream that stalls, within the idle timeout", async () => {
    const started = performance.now();
    const stream = client.chat.completions.stream({
      model: "auto",
      messages: [{ role: "user", content: `${SW} fault:stall` }],
    });
    await expect(stream.finalChatCompletion()).rejects.toThrow(/sent nothing for/);
    expect(performance.now() - started).toBeLessThan(IDLE_TIMEOUT_MS + 1_500);
  });
});

describe("faults from the upstream", () => {
  it("answers a 500 with a 64 MiB body with 502 within a second, without reading it", async () => {
    const started = performance.now();
    const res = await chat(`${SW} fault:error64`);
    const body = await res.text();
    const elapsed = performance.now() - started;
    expect(res.status).toBe(502);
    expect(elapsed).toBeLessThan(1_000);
    expect(body).not.toContain("eeee");
    // The worker cancelled the body: the upstream could not push the 64 MiB through.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(faulty.sent()).toBeLessThan(64 * 1_048_576);
  });

  it.each([
    ["rate", 429],
    ["overload", 503],
  ])("keeps Retry-After and x-ratelimit-* on an upstream %s (%i)", async (fault, status) => {
    const res = await chat(`${SW} fault:${fault}`);
    expect(res.status).toBe(status);
    expect(res.headers.get("retry-after")).toBe("17");
    expect(res.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(await res.text()).not.toContain("gpu-7");
  });

  it("ends a stream cut before [DONE] with an error event", async () => {
    const text = await (await chat(`${SW} fault:cut`, { stream: true })).text();
    expect(text).toContain("Nai");
    expect(text.trim().split("\n\n").at(-1)).toContain('"code":"upstream_truncated"');
  });
});

// Under `wrangler dev` a client hanging up does not cancel the worker's request (it runs to completion), so no load here
// reproduces the shared-R2-read defect of #12 (the pre-fix cache gave 0 errors even at 200 clients, TTL 0): that
// defect is caught in test/worker/manifest.test.ts, where a hang-up does cancel. This guards the rest under load.
describe("load with a one-second manifest TTL", () => {
  it("answers every request of 40 concurrent clients over 4 s (several refreshes, some clients hanging up) without an error", async () => {
    const statuses = new Map<number, number>();
    const texts = [SW, "Wie funktioniert die Photosynthese bei Pflanzen?", "光合成の仕組みを教えてください"];
    const deadline = performance.now() + 4_000;
    const post = (path: string, body: unknown, signal?: AbortSignal) =>
      fetch(`${stack.workerUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
    const clientLoop = async (i: number) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const text = texts[(i + n) % texts.length] as string;
        const body = n % 2 === 0 ? { model: "auto", messages: [{ role: "user", content: text }] } : { text };
        const path = n % 2 === 0 ? "/v1/chat/completions" : "/v1/route";
        if (n % 4 === 3) {
          // A client that hangs up mid-request, as real ones do: its request must not take others down with it.
          // The abort may land before the headers or while the body is read: both are the client's own doing.
          await post(path, body, AbortSignal.timeout(1 + (n % 7)))
            .then((res) => res.arrayBuffer())
            .catch(() => undefined);
          continue;
        }
        const res = await post(path, body);
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => clientLoop(i)));
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(100);
    expect(Object.fromEntries(statuses)).toEqual({ 200: total });
    expect(stack.log).not.toMatch(/Cannot perform I\/O|hung|uncaught/i);
  });
});
