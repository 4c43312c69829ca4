import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { consumeTriggers } from "../../src/drift/queue";
import { TEST_BINDINGS } from "../bindings";

const ADMIN = { authorization: `Bearer ${TEST_BINDINGS.ADMIN_TOKEN}` };
const KEY = "windows/sw/eu/sw.eu.1.1.jsonl";
const BODY = '{"inputs":"Ninapikaje pilau?"}\n{"inputs":"Tatua 2x + 3 = 7"}\n';

const get = (path: string, headers: Record<string, string> = ADMIN) => app.request(path, { headers }, env);

describe("GET /admin/windows/{language}/{region}/{file}", () => {
  it("returns the window sample a trigger names, as stored", async () => {
    await env.ADAPTERS.put(KEY, BODY);
    const res = await get(`/admin/${KEY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe(BODY);
  });

  it("answers 401 without the admin token and with a wrong one", async () => {
    await env.ADAPTERS.put(KEY, BODY);
    expect((await get(`/admin/${KEY}`, {})).status).toBe(401);
    expect((await get(`/admin/${KEY}`, { authorization: "Bearer wrong" })).status).toBe(401);
  });

  it("answers 404 in OpenAI's error shape for a window that is not in the bucket", async () => {
    const res = await get("/admin/windows/sw/eu/sw.eu.9.9.jsonl");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("window_not_found");
  });

  it("refuses keys outside windows/ (other file kinds, odd regions) with 400", async () => {
    for (const path of [
      "/admin/windows/sw/eu/manifest.json",
      "/admin/windows/sw/EU!/x.jsonl",
      "/admin/windows/SW1/eu/x.jsonl",
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
    }
  });
});

describe("the trigger queue's consumer", () => {
  const trigger = {
    id: "store.eu.1.1",
    language: "sw",
    region: "eu",
    modelVersion: "1",
    reference: [0.5, 0.5],
    monitored: [0.1, 0.9],
    js: 0.27,
    theta: 0.15,
    windowSamples: 1000,
    windowKey: "windows/sw/eu/store.eu.1.1.jsonl",
    at: "2026-11-24T02:00:00.000Z",
  };

  it("keeps each trigger as triggers/{id}.json in the bucket, once, however often it is delivered", async () => {
    const deliver = async (id: string, body: unknown) => {
      const batch = createMessageBatch("compass-drift-triggers", [{ id, timestamp: new Date(), attempts: 1, body }]);
      await consumeTriggers(batch, env);
      return getQueueResult(batch, createExecutionContext());
    };
    expect((await deliver("m1", trigger)).explicitAcks).toEqual(["m1"]);
    expect((await deliver("m2", { ...trigger, js: 0.5 })).explicitAcks).toEqual(["m2"]);
    const stored = await env.ADAPTERS.get("triggers/store.eu.1.1.json");
    expect(await stored?.json()).toEqual(trigger);
  });
});
