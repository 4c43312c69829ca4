import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, inject, it } from "vitest";
import type { Manifest } from "../../../adapters/manifest";
import { getConfig } from "../../../src/config";
import { storedSha256 } from "../../../src/handlers/admin-adapters";
import { clearManifestCache } from "../../../src/manifest";
import { DEFAULT_GUARD_POLICY, decideGuard, emptyArm } from "../../../src/registry/guard";
import {
  applyGuardDecision,
  canaryRunOf,
  type GuardBatch,
  guardFor,
  type Outcome,
} from "../../../src/registry/guard.do";
import { bufferOutcome, flushGuard, GUARD_FLUSH_EVERY } from "../../../src/registry/record";
import { TEST_BINDINGS, TEST_MANIFEST_KEY } from "../../bindings";
import { chatBody, postJson, request } from "../helpers";

const TOKEN = TEST_BINDINGS.ADMIN_TOKEN;
const admin = {};
const auth = { authorization: `Bearer ${TOKEN}` };
const BASE = "meta-llama/Llama-3.1-8B-Instruct";
const encoder = new TextEncoder();

async function sha256(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const put = (path: string, body: string | Uint8Array, sha: string) =>
  request(
    path,
    {
      method: "PUT",
      headers: {
        ...auth,
        "x-compass-sha256": sha,
        "content-length": String(typeof body === "string" ? encoder.encode(body).length : body.length),
      },
      body,
    },
    admin,
  );

const rollout = (language: string, body: unknown) => postJson(`/admin/rollout/${language}`, body, admin, auth);
const status = (language: string) => request(`/admin/rollout/${language}`, { headers: auth }, admin);

/** Upload a version's three files and register it; returns the registration's response and the weights' sha256. */
async function publish(version: string, name = `compass-sw-v${version}`, language = "sw") {
  const files: Record<string, string> = {
    "adapter_config.json": JSON.stringify({ r: 4, base_model_name_or_path: BASE }),
    "adapter_model.safetensors": `weights of ${name} ${version}`,
    "compass_adapter.json": JSON.stringify({ language, version }),
  };
  const record: Record<string, unknown> = { schemaVersion: 1, language, name, version, baseModel: BASE, files: {} };
  for (const [file, content] of Object.entries(files)) {
    const sha = await sha256(content);
    const res = await put(`/admin/adapters/${language}/${name}/${version}/${file}`, content, sha);
    expect(res.status, file).toBe(201);
    (record.files as Record<string, unknown>)[file] = { sha256: sha, bytes: encoder.encode(content).length };
  }
  record.adapterSha256 = await sha256(files["adapter_model.safetensors"] as string);
  const res = await postJson(`/admin/adapters/${language}/${name}/${version}`, record, admin, auth);
  return { res, sha: record.adapterSha256 as string };
}

/** Load an adapter into the local vLLM-like upstream, or drop it (as a restart or an eviction would). */
async function loadInto(upstream: string, name: string) {
  const res = await fetch(`${upstream}/v1/load_lora_adapter`, {
    method: "POST",
    body: JSON.stringify({ lora_name: name, lora_path: `/mnt/compass-adapters/${name}` }),
  });
  expect([200, 400]).toContain(res.status);
}
/** Adapter name → path of what the local upstream has loaded (vLLM's `GET /v1/models`: `root` is the path). */
async function loadedAdapters(upstream: string): Promise<Record<string, string>> {
  const { data } = (await (await fetch(`${upstream}/v1/models`)).json()) as {
    data: { id: string; root: string; parent: string | null }[];
  };
  return Object.fromEntries(data.filter((m) => m.parent !== null).map((m) => [m.id, m.root]));
}
async function unloadFrom(upstream: string, name: string) {
  const res = await fetch(`${upstream}/v1/unload_lora_adapter`, {
    method: "POST",
    body: JSON.stringify({ lora_name: name }),
  });
  expect([200, 404]).toContain(res.status);
}

async function storedManifest(): Promise<Manifest> {
  return (await (await env.ADAPTERS.get(TEST_MANIFEST_KEY))!.json()) as Manifest;
}

async function deleteAll() {
  const listed = await env.ADAPTERS.list();
  await Promise.all(listed.objects.map((o) => env.ADAPTERS.delete(o.key)));
  clearManifestCache();
}
beforeEach(deleteAll);

describe("admin authentication", () => {
  it.each([
    ["missing", {}],
    ["wrong", { authorization: "Bearer not-the-token" }],
    ["malformed", { authorization: TOKEN }],
  ])("answers 401 with one message for a %s token", async (_kind, headers) => {
    const res = await request("/admin/rollout/sw", { headers }, admin);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: {
        message: "missing or invalid admin token",
        type: "invalid_request_error",
        param: null,
        code: "invalid_admin_token",
      },
    });
  });

  it("answers 401 even to the right-looking token when no ADMIN_TOKEN is configured", async () => {
    const res = await request("/admin/rollout/sw", { headers: auth }, { ADMIN_TOKEN: "" });
    expect(res.status).toBe(401);
  });

  it("lets the right token through", async () => {
    expect((await status("sw")).status).toBe(200);
  });
});

describe("publishing through the admin API", () => {
  it("stores every file with its sha256 and makes a language's first version stable", async () => {
    const { res, sha } = await publish("1");
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ activated: "stable", revision: 1 });
    const manifest = await storedManifest();
    expect(manifest.languages.sw?.adapter).toEqual({
      name: "compass-sw-v1",
      version: "1",
      path: "adapters/sw/compass-sw-v1/1/",
      sha256: sha,
    });
    const weights = await env.ADAPTERS.head("adapters/sw/compass-sw-v1/1/adapter_model.safetensors");
    expect(weights?.checksums.sha256).toBeDefined();
    expect(await env.ADAPTERS.head("manifests/1.json")).not.toBeNull();
  });

  it("refuses bytes that do not match their stated sha256 and stores nothing", async () => {
    const res = await put(
      "/admin/adapters/sw/compass-sw-v1/1/adapter_model.safetensors",
      "corrupted",
      await sha256("original"),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "checksum_mismatch" } });
    expect(await env.ADAPTERS.head("adapters/sw/compass-sw-v1/1/adapter_model.safetensors")).toBeNull();
  });

  it("accepts identical bytes again (a resumed publish) and refuses other bytes for a published file", async () => {
    await publish("1");
    const same = "weights of compass-sw-v1 1";
    expect(
      (await put("/admin/adapters/sw/compass-sw-v1/1/adapter_model.safetensors", same, await sha256(same))).status,
    ).toBe(200);
    const other = await put(
      "/admin/adapters/sw/compass-sw-v1/1/adapter_model.safetensors",
      "other",
      await sha256("other"),
    );
    expect(other.status).toBe(409);
  });

  it("refuses a record whose checksums do not match the stored files, naming the file", async () => {
    await publish("1");
    const record = {
      schemaVersion: 1,
      language: "sw",
      name: "compass-sw-v2",
      version: "2",
      baseModel: BASE,
      adapterSha256: await sha256("w"),
      files: {
        "adapter_config.json": { sha256: await sha256("c"), bytes: 1 },
        "adapter_model.safetensors": { sha256: await sha256("w"), bytes: 1 },
        "compass_adapter.json": { sha256: await sha256("m"), bytes: 1 },
      },
    };
    await put("/admin/adapters/sw/compass-sw-v2/2/adapter_config.json", "c", await sha256("c"));
    const res = await postJson("/admin/adapters/sw/compass-sw-v2/2", record, admin, auth);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "missing_file", param: "adapter_model.safetensors" } });
  });

  it("uploads a large file by multipart and checks the assembled object's sha256", async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 123).map((_, i) => i % 251);
    const key = "/admin/adapters/sw/compass-sw-v9/9/adapter_model.safetensors";
    const sha = await sha256(big);
    const created = await request(
      `${key}?uploads`,
      { method: "POST", headers: { ...auth, "x-compass-sha256": sha } },
      admin,
    );
    const { uploadId } = (await created.json()) as { uploadId: string };
    const parts = [];
    for (const [n, chunk] of [
      [1, big.slice(0, 5 * 1024 * 1024)],
      [2, big.slice(5 * 1024 * 1024)],
    ] as const) {
      const res = await request(
        `${key}?uploadId=${encodeURIComponent(uploadId)}&partNumber=${n}`,
        { method: "PUT", headers: { ...auth, "content-length": String(chunk.length) }, body: chunk },
        admin,
      );
      parts.push(await res.json());
    }
    const done = await postJson(`${key}?uploadId=${encodeURIComponent(uploadId)}`, { parts }, admin, auth);
    expect(done.status).toBe(201);
    expect(await done.json()).toMatchObject({ sha256: sha, bytes: big.length });
  });
});

describe("multipart uploads are create-only", () => {
  const key = "/admin/adapters/sw/compass-sw-v9/9/adapter_model.safetensors";
  const stored = "adapters/sw/compass-sw-v9/9/adapter_model.safetensors";

  /** Start an upload and send its one part (a lone part may be of any size); returns the completion. */
  async function staged(content: string, claimedSha?: string) {
    const sha = claimedSha ?? (await sha256(content));
    const created = await request(
      `${key}?uploads`,
      { method: "POST", headers: { ...auth, "x-compass-sha256": sha } },
      admin,
    );
    const { uploadId } = (await created.json()) as { uploadId: string };
    const id = encodeURIComponent(uploadId);
    const part = await request(
      `${key}?uploadId=${id}&partNumber=1`,
      { method: "PUT", headers: { ...auth, "content-length": String(encoder.encode(content).length) }, body: content },
      admin,
    );
    const parts = [await part.json()];
    return () => postJson(`${key}?uploadId=${id}`, { parts }, admin, auth);
  }

  it("of two concurrent uploads of other bytes for one file, the first completed wins and the second gets 409", async () => {
    // Both start before either completes: both pass the existence check made when an upload starts.
    const completeA = await staged("weights A");
    const completeB = await staged("weights B");
    expect((await completeA()).status).toBe(201);
    const second = await completeB();
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ error: { code: "already_exists" } });
    const object = await env.ADAPTERS.get(stored);
    expect(await object?.text()).toBe("weights A");
    expect(storedSha256(object!)).toBe(await sha256("weights A"));
    // Nothing is left behind under the staging prefix.
    expect((await env.ADAPTERS.list({ prefix: "uploads/" })).objects).toEqual([]);
  });

  it("a second upload of the same bytes answers 200 exists", async () => {
    const first = await staged("weights A");
    const again = await staged("weights A");
    expect((await first()).status).toBe(201);
    expect(await (await again()).json()).toMatchObject({ status: "exists", sha256: await sha256("weights A") });
  });

  it("an assembled object that does not match its stated sha256 is refused and stores nothing", async () => {
    const complete = await staged("corrupted", await sha256("original"));
    const res = await complete();
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "checksum_mismatch" } });
    expect(await env.ADAPTERS.head(stored)).toBeNull();
    expect((await env.ADAPTERS.list({ prefix: "uploads/" })).objects).toEqual([]);
  });
});

describe("rollout through the admin API", () => {
  it("runs a canary, promotes it, and a rollback restores exactly the previous stable", async () => {
    const v1 = await publish("1");
    const v2 = await publish("2");
    expect(await v2.res.json()).toMatchObject({ activated: null });
    const canary = await rollout("sw", { action: "canary", version: "2", share: 0.1 });
    expect(canary.status, await canary.clone().text()).toBe(200);
    expect((await storedManifest()).languages.sw?.canary).toMatchObject({
      share: 0.1,
      adapter: { version: "2", sha256: v2.sha },
    });
    expect((await rollout("sw", { action: "promote" })).status).toBe(200);
    expect((await storedManifest()).languages.sw).toMatchObject({
      adapter: { version: "2" },
      previous: [{ version: "1" }],
    });
    expect((await rollout("sw", { action: "rollback", reason: "quality complaints" })).status).toBe(200);
    const entry = (await storedManifest()).languages.sw;
    expect(entry?.adapter).toEqual({
      name: "compass-sw-v1",
      version: "1",
      path: "adapters/sw/compass-sw-v1/1/",
      sha256: v1.sha,
    });
    expect(entry?.canary).toBeUndefined();
    const history = (
      (await (await status("sw")).json()) as { history: { action: string; actor: string; reason: string }[] }
    ).history;
    expect(history.map((e) => e.action)).toEqual(["rollback", "promote", "canary", "publish"]);
    expect(history[0]).toMatchObject({ actor: "admin", reason: "quality complaints" });
  });

  it("refuses a canary of a version that was never published, and a second canary", async () => {
    await publish("1");
    await publish("2");
    await publish("3");
    expect((await rollout("sw", { action: "canary", version: "7", share: 0.1 })).status).toBe(404);
    expect((await rollout("sw", { action: "canary", version: "2", share: 0.1 })).status).toBe(200);
    const second = await rollout("sw", { action: "canary", version: "3", share: 0.1 });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ error: { code: "canary-in-progress" } });
    expect((await rollout("sw", { action: "abort" })).status).toBe(200);
    expect((await rollout("sw", { action: "abort" })).status).toBe(409);
  });

  it("answers 409 when another writer changed the manifest between read and write", async () => {
    await publish("1");
    await publish("2");
    const real = env.ADAPTERS;
    // A bucket whose manifest changes right after this request reads it: the request's write must lose.
    const racing = new Proxy(real, {
      get(target, prop) {
        if (prop !== "get") return Reflect.get(target, prop).bind(target);
        return async (key: string) => {
          const object = await target.get(key);
          if (key === TEST_MANIFEST_KEY && object) {
            const text = await object.text();
            await target.put(key, text.replace('"updatedAt"', '"note": "other writer", "updatedAt"'));
            return { etag: object.etag, text: async () => text, json: async () => JSON.parse(text) };
          }
          return object;
        };
      },
    });
    const res = await postJson(
      "/admin/rollout/sw",
      { action: "canary", version: "2", share: 0.1 },
      { ...admin, ADAPTERS: racing },
      auth,
    );
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: "manifest_changed" } });
    expect((await storedManifest()).languages.sw?.canary).toBeUndefined();
  });

  it("answers 409 naming the problem when the stored manifest is invalid", async () => {
    await env.ADAPTERS.put(
      TEST_MANIFEST_KEY,
      JSON.stringify({ schemaVersion: 1, baseModel: "m", languages: { sw: { canary: {} } } }),
    );
    const res = await rollout("sw", { action: "abort" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_manifest" } });
  });
});

describe("the upstream has the adapter before traffic goes to it", () => {
  const vllm = { UPSTREAM_ADAPTER_LOADING: "vllm", UPSTREAM_ADAPTER_ROOT: "/mnt/compass-adapters" };

  /** The worker's settings for the local vLLM-like upstream at `url` (test/setup/local-upstream.ts). */
  const vllmAt = (url: string) => ({ ...vllm, UPSTREAM_URL: url });
  const rolloutVia = (url: string, body: unknown) => postJson("/admin/rollout/sw", body, vllmAt(url), auth);
  const chatVia = (url: string) =>
    postJson("/v1/chat/completions", chatBody("Mji mkuu wa Kenya ni upi na una watu wangapi?"), vllmAt(url));

  /** v1 stable, then v2 canaried and promoted through the local upstream; then the upstream drops v1 (a restart). */
  async function promotedThenEvicted(upstream: string) {
    await unloadFrom(upstream, "compass-sw-v1");
    await unloadFrom(upstream, "compass-sw-v2");
    await publish("1");
    await publish("2");
    expect((await rolloutVia(upstream, { action: "canary", version: "2", share: 0.1 })).status).toBe(200);
    expect((await rolloutVia(upstream, { action: "promote" })).status).toBe(200);
    await unloadFrom(upstream, "compass-sw-v1");
  }

  it("a rollback loads the previous stable into the upstream before routing to it", async () => {
    const upstream = inject("vllmUpstreamUrl");
    await promotedThenEvicted(upstream);
    expect((await rolloutVia(upstream, { action: "rollback" })).status).toBe(200);
    expect((await storedManifest()).languages.sw?.adapter?.name).toBe("compass-sw-v1");
    clearManifestCache();
    const chat = await chatVia(upstream);
    expect(chat.headers.get("x-compass-adapter")).toBe("compass-sw-v1");
    expect(chat.status, await chat.clone().text()).toBe(200);
  });

  it("a rollback the upstream refuses to load answers 502 and leaves the manifest unchanged", async () => {
    const upstream = inject("vllmUpstreamUrl");
    await promotedThenEvicted(upstream);
    const before = await storedManifest();
    // The same server under a path where it has no loading endpoint: it answers 404 to the load.
    const refused = await rolloutVia(`${upstream}/elsewhere`, { action: "rollback" });
    expect(refused.status).toBe(502);
    expect(await refused.json()).toMatchObject({ error: { code: "upstream_refused_adapter" } });
    expect(await storedManifest()).toEqual(before);
  });

  it("the guard's rollback loads the stable adapter, and records a refused load while rolling back all the same", async () => {
    const upstream = inject("vllmUpstreamUrl");
    const regression = decideGuard(
      { ...emptyArm("1"), requests: 50 },
      { ...emptyArm("2"), requests: 50, errors: 25 },
      DEFAULT_GUARD_POLICY,
    );
    expect(regression.action).toBe("rollback");
    for (const [url, loaded] of [
      [`${upstream}/elsewhere`, false],
      [upstream, true],
    ] as const) {
      await unloadFrom(upstream, "compass-sw-v1");
      await deleteAll();
      await publish("1");
      await publish("2");
      await loadInto(upstream, "compass-sw-v2");
      expect((await rollout("sw", { action: "canary", version: "2", share: 0.1 })).status).toBe(200);
      const config = getConfig({ ...env, ...vllmAt(url) } as Env);
      expect(await applyGuardDecision(env.ADAPTERS, config, "sw", regression)).toMatch(/^revision /);
      const manifest = await storedManifest();
      expect(manifest.languages.sw?.canary).toBeUndefined();
      expect(manifest.change).toMatchObject({ actor: "guard", action: "rollback" });
      expect(manifest.change?.upstream).toMatch(
        loaded ? /has compass-sw-v1 \(loaded now\)/ : /refused to load compass-sw-v1 \(404\).*rolled back all the same/,
      );
    }
    clearManifestCache();
    expect((await chatVia(upstream)).status).toBe(200);
  });

  it("loads the canary into vLLM first, and leaves the manifest alone when vLLM refuses it", async () => {
    const upstream = inject("vllmUpstreamUrl");
    await unloadFrom(upstream, "compass-sw-v2");
    await publish("1");
    await publish("2");
    const canary = { action: "canary", version: "2", share: 0.1 };
    // The same server under a path where it has no loading endpoint: it answers 404 to the load.
    const refused = await rolloutVia(`${upstream}/elsewhere`, canary);
    expect(refused.status).toBe(502);
    expect(await refused.json()).toMatchObject({ error: { code: "upstream_refused_adapter" } });
    expect((await storedManifest()).languages.sw?.canary).toBeUndefined();
    expect(await loadedAdapters(upstream)).not.toHaveProperty("compass-sw-v2");
    expect((await rolloutVia(upstream, canary)).status).toBe(200);
    expect((await loadedAdapters(upstream))["compass-sw-v2"]).toBe("/mnt/compass-adapters/adapters/sw/compass-sw-v2/2");
    expect((await storedManifest()).languages.sw?.canary?.adapter.name).toBe("compass-sw-v2");
  });

  it("asks nothing of the upstream for a canary the rollout refuses anyway", async () => {
    const upstream = inject("vllmUpstreamUrl");
    await unloadFrom(upstream, "compass-sw-v3");
    await publish("1");
    await publish("2");
    await rollout("sw", { action: "canary", version: "2", share: 0.1 });
    await publish("3");
    const res = await rolloutVia(upstream, { action: "canary", version: "3", share: 0.1 });
    expect(res.status).toBe(409);
    expect(await loadedAdapters(upstream)).not.toHaveProperty("compass-sw-v3");
  });
});

describe("canary guard", { timeout: 30_000 }, () => {
  let run = "";
  const outcome = (role: "stable" | "canary", ok: boolean, ttfbMs: number, i: number): Outcome => ({
    completionId: `cmpl-sw-${crypto.randomUUID()}`,
    language: "sw" as const,
    canaryVersion: "2",
    canaryRun: run,
    role,
    servedVersion: role === "canary" ? "2" : "1",
    ok,
    ttfbMs: ok ? ttfbMs + (i % 7) : null,
    autoPromoteAfter: 40,
    guard: { minSamples: 20 },
  });
  const outcomes = (n: number, role: "stable" | "canary", ok: (i: number) => boolean, ttfbMs = 100) =>
    Array.from({ length: n }, (_, i) => outcome(role, ok(i), ttfbMs, i));
  const batch = (list: Outcome[], id: string = crypto.randomUUID()): GuardBatch => ({
    id,
    language: "sw",
    outcomes: list,
  });

  /** The outcome (1-based) after which the guard, judging one outcome at a time, first acts; 0 when it never does. */
  function firstVerdictAt(list: Outcome[]): number {
    const arms = { stable: emptyArm("1"), canary: emptyArm("2") };
    for (const [i, o] of list.entries()) {
      const arm = arms[o.role];
      arm.requests += 1;
      arm.errors += o.ok ? 0 : 1;
      if (o.ok && o.ttfbMs !== null) {
        arm.ttfbCount += 1;
        arm.ttfbLogSum += Math.log(o.ttfbMs);
      }
      const policy = { ...DEFAULT_GUARD_POLICY, ...o.guard, autoPromoteAfter: o.autoPromoteAfter };
      if (decideGuard(arms.stable, arms.canary, policy).action !== "none") return i + 1;
    }
    return 0;
  }

  async function startCanary(guard: Record<string, number> = { minSamples: 20 }, autoPromoteAfter = 40) {
    await publish("1");
    await publish("2");
    await rollout("sw", { action: "canary", version: "2", share: 0.2, autoPromoteAfter, guard });
    run = canaryRunOf((await storedManifest()).languages.sw!.canary!);
  }

  it("rolls back a failing canary by itself, at the same outcome as judging one outcome at a time", async () => {
    await startCanary();
    const sent = [...outcomes(80, "stable", () => true), ...outcomes(30, "canary", (i) => i % 2 === 0)];
    const result = await guardFor(env, "sw").recordBatch(batch(sent));
    expect(result.decision).toMatchObject({ verdict: "regression-error-rate", action: "rollback" });
    // 80 stable + 20 canary: the per-outcome guard acts at the 20th canary outcome; the 10 after it are not counted.
    expect(firstVerdictAt(sent)).toBe(100);
    expect(result.counted).toBe(100);
    expect(result.decision?.figures.canary.requests).toBe(20);
    expect((await storedManifest()).languages.sw?.canary).toBeUndefined();
    const body = (await (await status("sw")).json()) as {
      history: { actor: string; reason: string; figures: { canary: { errorRate: number }; errorRateZ: number } }[];
    };
    expect(body.history[0]).toMatchObject({ actor: "guard", reason: "regression-error-rate" });
    expect(body.history[0]?.figures.canary.errorRate).toBe(0.5);
    expect(body.history[0]?.figures.errorRateZ).toBeGreaterThan(2.326);
  });

  it("rolls back a canary that is slow for that adapter", async () => {
    await startCanary();
    const guard = guardFor(env, "sw");
    await guard.recordBatch(batch(outcomes(80, "stable", () => true)));
    await guard.recordBatch(batch(outcomes(20, "canary", () => true, 400)));
    expect((await storedManifest()).change).toMatchObject({
      actor: "guard",
      action: "rollback",
      reason: "regression-latency",
    });
  });

  it("promotes a healthy canary after autoPromoteAfter requests, not one request before", async () => {
    await startCanary();
    const guard = guardFor(env, "sw");
    await guard.recordBatch(batch([...outcomes(160, "stable", () => true), ...outcomes(39, "canary", () => true)]));
    expect((await storedManifest()).languages.sw?.canary).toBeDefined();
    await guard.recordBatch(batch([outcome("canary", true, 100, 39)]));
    const manifest = await storedManifest();
    expect(manifest.languages.sw?.adapter?.version).toBe("2");
    expect(manifest.change).toMatchObject({ actor: "guard", action: "promote", reason: "promote-clean" });
  });

  it("counts a retried batch once", async () => {
    await startCanary();
    const guard = guardFor(env, "sw");
    const retried = batch([...outcomes(12, "stable", () => true), ...outcomes(7, "canary", () => false)], "isolate-1");
    expect(await guard.recordBatch(retried)).toMatchObject({ duplicate: false, counted: 19 });
    expect(await guard.recordBatch(retried)).toMatchObject({ duplicate: true, counted: 0 });
    const { decision } = await guard.status(run);
    expect(decision?.figures.stable).toMatchObject({ requests: 12, errors: 0 });
    expect(decision?.figures.canary).toMatchObject({ requests: 7, errors: 7 });
  });

  it("counts every one of many concurrently recorded outcomes exactly once", async () => {
    // A minimum sample no run reaches: nothing is judged, everything is counted.
    await startCanary({ minSamples: 100_000 }, 1_000_000);
    const pending: Promise<void>[] = [];
    const schedule = (work: Promise<void>) => pending.push(work);
    const sent = [...outcomes(300, "stable", () => true), ...outcomes(137, "canary", (i) => i % 3 !== 0)];
    await Promise.all(sent.map((o) => bufferOutcome(env, { ...o, guard: { minSamples: 100_000 } }, schedule)));
    await Promise.all(pending);
    await flushGuard(env);
    const { decision } = await guardFor(env, "sw").status(run);
    expect(decision?.figures.stable).toMatchObject({ requests: 300, errors: 0 });
    expect(decision?.figures.canary).toMatchObject({ requests: 137, errors: 46 });
  });

  it("records chat outcomes and feedback through the edge, and rolls back a canary the upstream never loaded", async () => {
    const upstream = inject("vllmUpstreamUrl");
    await startCanary();
    // The vLLM-like upstream has the stable adapter and answers 404 for the canary, which was never loaded into it.
    await loadInto(upstream, "compass-sw-v1");
    await unloadFrom(upstream, "compass-sw-v2");
    const served: Record<string, number> = {};
    let id = "";
    // Rounds of concurrent requests: a round fills the isolate's buffer, so its outcomes reach the guard at once.
    for (let round = 0; round < 10 && (await storedManifest()).languages.sw?.canary; round++) {
      clearManifestCache();
      const responses = await Promise.all(
        Array.from({ length: GUARD_FLUSH_EVERY }, (_, i) =>
          postJson(
            "/v1/chat/completions",
            chatBody("Mji mkuu wa Kenya ni upi na una watu wangapi?"),
            { UPSTREAM_URL: upstream },
            { "x-compass-sticky-key": `user-${round}-${i}` },
          ),
        ),
      );
      for (const res of responses) {
        const adapter = res.headers.get("x-compass-adapter") ?? "";
        served[adapter] = (served[adapter] ?? 0) + 1;
        // One from the first round, counted before any verdict (outcomes after a verdict are not kept).
        if (res.status === 200 && !id) id = res.headers.get("x-compass-completion-id") ?? "";
      }
    }
    expect((await storedManifest()).change).toMatchObject({
      actor: "guard",
      action: "rollback",
      reason: "regression-error-rate",
    });
    expect(served["compass-sw-v2"]).toBeGreaterThanOrEqual(20);
    expect(id).toMatch(/^cmpl-sw-/);
    expect((await postJson("/v1/feedback", { id, score: 1 })).status).toBe(202);
    expect((await postJson("/v1/feedback", { id, score: 1 })).status).toBe(409);
    expect((await postJson("/v1/feedback", { id: `cmpl-sw-${crypto.randomUUID()}`, score: 1 })).status).toBe(404);
  });
});
