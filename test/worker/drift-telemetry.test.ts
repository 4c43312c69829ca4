import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DriftTrigger } from "../../adapters/trigger";
import { app } from "../../src/app";
import { clearClusterModelFailures } from "../../src/cluster";
import { consumeTriggers } from "../../src/drift/queue";
import { flushDrift, recordAssignment, regionOf } from "../../src/drift/record";
import { TRIGGER_LOG_NAME } from "../../src/drift/trigger-log.do";
import { TEST_BINDINGS } from "../bindings";
import vector from "../vectors/drift-sw.json";
import { chatBody, MANIFEST, putManifest } from "./helpers";

const ADMIN = { authorization: `Bearer ${TEST_BINDINGS.ADMIN_TOKEN}` };
const model = vector.clusterModel;

/** The manifest with sw monitored by the vector's cluster model, stored under `key`. */
async function monitorSw(key: string, clusterModel: unknown = model) {
  await env.ADAPTERS.put(key, typeof clusterModel === "string" ? clusterModel : JSON.stringify(clusterModel));
  await putManifest({
    ...MANIFEST,
    languages: { ...MANIFEST.languages, sw: { ...MANIFEST.languages.sw, clusterModel: key } },
  });
}

function snapshot(language: string, region: string) {
  return env.DRIFT_WINDOWS.get(env.DRIFT_WINDOWS.idFromName(`${language}:${region}`)).snapshot();
}

/** A chat request through the whole app with an execution context; waits for its `waitUntil` work, then flushes. */
async function chat(text: string, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await app.request(
    "/v1/chat/completions",
    {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(chatBody(text)),
    },
    { ...env, ...overrides },
    ctx,
  );
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  await flushDrift({ ...env, ...overrides } as Env);
  return { res, body };
}

beforeEach(() => {
  vi.spyOn(globalThis, "fetch").mockImplementation(async (_input, init) => {
    const request = JSON.parse(String(init?.body)) as { model: string };
    return Response.json({ id: "c", object: "chat.completion", model: request.model, choices: [] });
  });
});
afterEach(() => vi.restoreAllMocks());

describe("regionOf", () => {
  const cf = { colo: "LHR", country: "GB", continent: "EU" };
  it.each([
    ["continent", "eu"],
    ["country", "gb"],
    ["colo", "lhr"],
  ] as const)("takes request.cf's %s, lowercased", (by, region) => {
    expect(regionOf(cf, undefined, { DRIFT_REGION_BY: by, TRUST_REGION_HEADER: false })).toBe(region);
  });
  it("counts requests without cf as local", () => {
    expect(regionOf(undefined, undefined, { DRIFT_REGION_BY: "continent", TRUST_REGION_HEADER: false })).toBe("local");
  });
  it("lets x-compass-region override only when trusted, and never as the rollup `all`", () => {
    const trusted = { DRIFT_REGION_BY: "continent", TRUST_REGION_HEADER: true } as const;
    expect(regionOf(cf, "AF", trusted)).toBe("af");
    expect(regionOf(cf, "AF", { ...trusted, TRUST_REGION_HEADER: false })).toBe("eu");
    expect(regionOf(cf, "all", trusted)).toBe("eu");
    expect(regionOf(cf, "../etc", trusted)).toBe("eu");
  });
});

describe("drift telemetry on POST /v1/chat/completions", () => {
  beforeEach(() => monitorSw("clusters/sw/vector-1.json"));

  it("counts a routed Swahili request for its region and cluster", async () => {
    const { res } = await chat(
      "Nifundishe jinsi ya kupika pilau tamu",
      { TRUST_REGION_HEADER: "true" },
      {
        "x-compass-region": "telemetry-af",
      },
    );
    expect(res.status).toBe(200);
    const window = await snapshot("sw", "telemetry-af");
    expect(window).toMatchObject({ modelVersion: "vector-1", totalSamples: 1, samples: 1 });
    expect((await snapshot("sw", "all")).regions).toContain("telemetry-af");
  });

  it("ignores x-compass-region unless TRUST_REGION_HEADER is true", async () => {
    const before = (await snapshot("sw", "local")).totalSamples;
    await chat("Nifundishe jinsi ya kupika pilau tamu", {}, { "x-compass-region": "spoofed" });
    expect((await snapshot("sw", "spoofed")).totalSamples).toBe(0);
    expect((await snapshot("sw", "local")).totalSamples).toBe(before + 1);
  });

  it("records nothing with DRIFT_TELEMETRY=false", async () => {
    await chat(
      "Mji mkuu wa Kenya ni upi?",
      { TRUST_REGION_HEADER: "true", DRIFT_TELEMETRY: "false" },
      {
        "x-compass-region": "telemetry-off",
      },
    );
    expect((await snapshot("sw", "telemetry-off")).totalSamples).toBe(0);
  });

  it("skips telemetry with one warning for a malformed cluster model while routing goes on", async () => {
    await monitorSw("clusters/sw/malformed.json", "{ not json");
    clearClusterModelFailures();
    const warn = vi.spyOn(console, "warn");
    const first = await chat(
      "Mji mkuu wa Kenya ni upi?",
      { TRUST_REGION_HEADER: "true" },
      { "x-compass-region": "bad-model" },
    );
    const second = await chat(
      "Mji mkuu wa Kenya ni upi?",
      { TRUST_REGION_HEADER: "true" },
      { "x-compass-region": "bad-model" },
    );
    for (const { res } of [first, second]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("x-compass-adapter")).toBe("compass-sw");
    }
    expect(warn.mock.calls.filter((call) => String(call[0]).includes("malformed.json"))).toHaveLength(1);
    expect((await snapshot("sw", "bad-model")).totalSamples).toBe(0);
  });

  it("never changes a response when telemetry fails", async () => {
    const broken = {
      idFromName() {
        throw new Error("Durable Objects unavailable");
      },
    };
    const headers = { "x-compass-region": "broken" };
    const withTelemetry = await chat("Mji mkuu wa Kenya ni upi?", { TRUST_REGION_HEADER: "true" }, headers);
    const failing = await chat(
      "Mji mkuu wa Kenya ni upi?",
      { TRUST_REGION_HEADER: "true", DRIFT_WINDOWS: broken },
      headers,
    );
    const off = await chat("Mji mkuu wa Kenya ni upi?", { DRIFT_TELEMETRY: "false" }, headers);
    for (const other of [failing, off]) {
      expect(other.res.status).toBe(withTelemetry.res.status);
      expect(other.body).toBe(withTelemetry.body);
      // Every response has its own completion id; everything else must be the same.
      const same = (res: Response) => [...res.headers].filter(([name]) => name !== "x-compass-completion-id");
      expect(same(other.res)).toEqual(same(withTelemetry.res));
    }
  });
});

describe("GET /v1/drift and /admin/triggers", () => {
  const get = (path: string, headers: Record<string, string> = ADMIN) => app.request(path, { headers }, env);

  it.each(["/v1/drift", "/v1/drift/sw", "/v1/drift/sw/chart.svg", "/admin/triggers"])(
    "refuses %s without the admin token (401, OpenAI-shaped)",
    async (path) => {
      const refusals: Record<string, string>[] = [{}, { authorization: "Bearer wrong-token-wrong-token" }];
      for (const headers of refusals) {
        const res = await get(path, headers);
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: { code: "invalid_admin_token" } });
      }
    },
  );

  it("reports each region and the rollup of a language, and draws them", async () => {
    await monitorSw("clusters/sw/vector-1.json");
    await chat("Mji mkuu wa Kenya ni upi?", { TRUST_REGION_HEADER: "true" }, { "x-compass-region": "read-eu" });
    const res = await get("/v1/drift/sw");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      language: string;
      regions: Record<string, { samples: number; theta: number }>;
    };
    expect(body.language).toBe("sw");
    expect(body.regions["read-eu"]).toMatchObject({ samples: 1, theta: model.theta });
    expect(body.regions.all).toBeDefined();
    for (const field of ["samples", "js", "theta", "triggers", "monitored", "reference"])
      expect(body.regions["read-eu"]).toHaveProperty(field);

    const chart = await get("/v1/drift/sw/chart.svg");
    expect(chart.headers.get("content-type")).toContain("image/svg+xml");
    const svg = await chart.text();
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("read-eu");

    const all = (await (await get("/v1/drift")).json()) as { languages: Record<string, { regions: string[] }> };
    expect(all.languages.sw?.regions).toContain("read-eu");
  });

  it("answers 404 for a language compass does not know and 400 for a malformed since", async () => {
    expect((await get("/v1/drift/xx")).status).toBe(404);
    expect((await get("/admin/triggers?since=yesterday")).status).toBe(400);
  });
});

describe("the drift-trigger queue consumer", () => {
  const trigger = (id: string, at: string): DriftTrigger => ({
    id,
    language: "sw",
    region: "eu",
    modelVersion: "1",
    reference: [0.5, 0.5],
    monitored: [0.1, 0.9],
    js: 0.3,
    theta: 0.15,
    windowSamples: 1000,
    windowKey: null,
    at,
  });

  it("records valid triggers once, acknowledges malformed ones, and lists them since a time", async () => {
    const warn = vi.spyOn(console, "warn");
    const messages = [
      { id: "m1", timestamp: new Date(), attempts: 1, body: trigger("consumer.eu.1.1", "2030-01-01T00:00:00.000Z") },
      { id: "m2", timestamp: new Date(), attempts: 1, body: trigger("consumer.eu.1.1", "2030-01-01T00:00:00.000Z") },
      { id: "m3", timestamp: new Date(), attempts: 1, body: { id: "not a trigger" } },
      { id: "m4", timestamp: new Date(), attempts: 1, body: trigger("consumer.eu.1.2", "2030-01-02T00:00:00.000Z") },
    ];
    const batch = createMessageBatch("compass-drift-triggers", messages);
    const ctx = createExecutionContext();
    await consumeTriggers(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["m1", "m2", "m3", "m4"]);
    expect(result.retryMessages).toEqual([]);
    expect(warn.mock.calls.some((call) => String(call[0]).includes("m3"))).toBe(true);

    const log = env.DRIFT_TRIGGER_LOG.get(env.DRIFT_TRIGGER_LOG.idFromName(TRIGGER_LOG_NAME));
    const all = await log.list("2029-12-31T00:00:00.000Z", 0, 100);
    expect(all.triggers.map((t) => t.id)).toEqual(["consumer.eu.1.1", "consumer.eu.1.2"]);
    const res = await app.request("/admin/triggers?since=2030-01-01T12:00:00Z", { headers: ADMIN }, env);
    expect(((await res.json()) as { triggers: DriftTrigger[] }).triggers.map((t) => t.id)).toEqual(["consumer.eu.1.2"]);
  });
});

// Last in the file: it moves the sw rollup to another model version, which makes the earlier one stale for a while.
describe("parity with the trainer's replay (test/vectors/drift-sw.json)", () => {
  it("reaches the vector's checks, JS values and triggers through the recorder and a drift window", async () => {
    await monitorSw("clusters/sw/vector-parity.json", { ...model, version: "vector-parity" });
    const manifest = {
      ...MANIFEST,
      languages: { sw: { ...MANIFEST.languages.sw, clusterModel: "clusters/sw/vector-parity.json" } },
    };
    const settings = {
      DRIFT_TELEMETRY: true,
      DRIFT_REGION_BY: "continent",
      TRUST_REGION_HEADER: false,
      DRIFT_SAMPLE_TEXTS: false,
    } as const;
    const pending: Promise<void>[] = [];
    for (const i of vector.stream)
      await recordAssignment(env, settings, manifest, "sw", "parity", vector.texts[i]!, (p) => pending.push(p));
    await flushDrift(env);
    const window = await env.DRIFT_WINDOWS.get(env.DRIFT_WINDOWS.idFromName("sw:parity")).snapshot(2000);
    expect(window.timeline.map((c) => c.sample)).toEqual(vector.checks.map((c) => c.sample));
    expect(window.timeline.map((c) => c.outcome === "over-theta")).toEqual(vector.checks.map((c) => c.triggered));
    // The SIMD kernel's stated bound on |JS - exact| is 7.1e-7 (kernels/assembly/divergence.ts).
    window.timeline.forEach((c, i) => {
      expect(Math.abs(c.js - vector.checks[i]!.js)).toBeLessThanOrEqual(7.1e-7);
    });
  });
});
