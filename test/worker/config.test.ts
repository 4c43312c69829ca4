import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import { readConfig, withConfig } from "../../src/config";
import { onError } from "../../src/errors";
import { requireAdmin } from "../../src/middleware/auth";
import type { AppEnv } from "../../src/types";
import { TEST_BINDINGS } from "../bindings";
import { chatBody, postJson, putManifest } from "./helpers";

/** The environment `wrangler deploy` produces from wrangler.toml alone: no upstream URL, no secrets. */
const DEPLOYED_DEFAULT = { UPSTREAM_URL: undefined, AUTH_MODE: "keys", ADMIN_TOKEN: undefined };

const okUpstream = () =>
  vi.spyOn(globalThis, "fetch").mockImplementation(async (_input, init) => {
    const model = JSON.parse(String(init?.body)).model;
    const auth = new Headers(init?.headers).get("authorization");
    return Response.json({ object: "chat.completion", model, auth, choices: [] });
  });

beforeEach(() => putManifest());
afterEach(() => vi.restoreAllMocks());

describe("config parsed once with zod", () => {
  it.each([
    ["MAX_BODY_BYTES", "abc"],
    ["UPSTREAM_TIMEOUT_MS", "30s"],
    ["LID_MIN_CONFIDENCE", "1.5"],
    ["UPSTREAM_KIND", "vllm"],
    ["UPSTREAM_URL", "ftp://example.com"],
    ["AUTH_MODE", "open"],
    ["ADMIN_TOKEN", "short"],
  ])("names %s=%s in /healthz (503) and answers other endpoints 500 misconfigured", async (name, value) => {
    const bad = { ...env, [name]: value };
    const health = await app.request("/healthz", {}, bad);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { status: string; problems: string[] };
    expect(body.status).toBe("misconfigured");
    expect(body.problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
    expect(JSON.stringify(body)).not.toContain(TEST_BINDINGS.ADMIN_TOKEN);

    const res = await postJson("/v1/chat/completions", chatBody("Habari ya asubuhi, rafiki yangu."), { [name]: value });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { type: "server_error", code: "misconfigured" } });
  });

  it("applies the documented defaults when a variable is unset", () => {
    const result = readConfig({ ...env, MANIFEST_TTL_MS: undefined, MAX_BODY_BYTES: "" } as unknown as Env);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.MANIFEST_TTL_MS).toBe(30_000);
    expect(result.config.MAX_BODY_BYTES).toBe(1_048_576);
    expect(result.config.MODEL_ALIASES).toEqual(["auto"]);
  });

  it("parses the same env object once", () => {
    const own = { ...env } as unknown as Env;
    expect(readConfig(own)).toBe(readConfig(own));
  });
});

describe("client authentication", () => {
  const keys = { AUTH_MODE: "keys", CLIENT_API_KEYS: "key-alpha-1, key-beta-2", UPSTREAM_API_KEY: "upstream-secret" };
  const text = "Tafadhali nieleze jinsi mvua inavyonyesha.";

  it("refuses every request under the deployed default configuration", async () => {
    okUpstream();
    const res = await postJson("/v1/chat/completions", chatBody(text), DEPLOYED_DEFAULT);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await app.request("/healthz", {}, { ...env, ...DEPLOYED_DEFAULT })).status).toBe(503);
  });

  it("answers 401 without a key, and the same 401 with a wrong one", async () => {
    okUpstream();
    const missing = await postJson("/v1/chat/completions", chatBody(text), keys);
    const wrong = await postJson("/v1/chat/completions", chatBody(text), keys, { authorization: "Bearer key-alpha-2" });
    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    expect(await wrong.json()).toEqual(await missing.json());
  });

  it("forwards an authenticated request with UPSTREAM_API_KEY as the upstream's bearer, never the client's key", async () => {
    okUpstream();
    const res = await postJson("/v1/chat/completions", chatBody(text), keys, { authorization: "Bearer key-beta-2" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ auth: "Bearer upstream-secret" });
  });

  it("guards /v1/route and /v1/models too", async () => {
    expect((await postJson("/v1/route", { text }, keys)).status).toBe(401);
    expect((await app.request("/v1/models", {}, { ...env, ...keys })).status).toBe(401);
    const ok = await app.request(
      "/v1/models",
      { headers: { authorization: "Bearer key-alpha-1" } },
      { ...env, ...keys },
    );
    expect(ok.status).toBe(200);
  });

  it("passes the client's own key to the upstream with AUTH_MODE=passthrough", async () => {
    okUpstream();
    const passthrough = { AUTH_MODE: "passthrough" };
    expect((await postJson("/v1/chat/completions", chatBody(text), passthrough)).status).toBe(401);
    const res = await postJson("/v1/chat/completions", chatBody(text), passthrough, { authorization: "Bearer sk-own" });
    expect(await res.json()).toMatchObject({ auth: "Bearer sk-own" });
  });
});

describe("admin authentication", () => {
  const admin = new Hono<AppEnv>()
    .use(withConfig)
    .get("/admin/ping", requireAdmin, (c) => c.json({ ok: true }))
    .onError(onError);
  const call = (authorization?: string, overrides: Record<string, unknown> = {}) =>
    admin.request("/admin/ping", { headers: authorization ? { authorization } : {} }, { ...env, ...overrides });

  it("admits the ADMIN_TOKEN bearer and refuses missing, wrong and non-bearer tokens alike", async () => {
    expect((await call(`Bearer ${TEST_BINDINGS.ADMIN_TOKEN}`)).status).toBe(200);
    const refusals = await Promise.all([
      call(),
      call("Bearer test-admin-token-0123456780"),
      call(`Basic ${TEST_BINDINGS.ADMIN_TOKEN}`),
    ]);
    const bodies = await Promise.all(refusals.map((r) => r.json()));
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  it("refuses everything when no ADMIN_TOKEN is configured", async () => {
    expect((await call(`Bearer ${TEST_BINDINGS.ADMIN_TOKEN}`, { ADMIN_TOKEN: undefined })).status).toBe(401);
  });
});
