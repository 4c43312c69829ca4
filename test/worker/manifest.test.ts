import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sketchEmbedReference } from "../../kernels/src";
import { CLUSTER_MODEL_RETRY_MS } from "../../src/cluster";
import { NEGATIVE_TTL_MS } from "../../src/manifest";
import { TEST_MANIFEST_KEY } from "../bindings";
import { deleteManifest, MANIFEST, postJson, putManifest, sha } from "./helpers";

const TTL = 1_000;
const SW = "Mji mkuu wa Kenya ni upi na una watu wangapi?";
const DE = "Wie funktioniert die Photosynthese bei Pflanzen?";

let now = 1_000_000;
beforeEach(() => {
  now = 1_000_000;
  vi.spyOn(Date, "now").mockImplementation(() => now);
});
afterEach(() => vi.restoreAllMocks());

async function routeOf(text: string) {
  const res = await postJson("/v1/route", { text }, { MANIFEST_TTL_MS: String(TTL) });
  expect(res.status).toBe(200);
  return (await res.json()) as { adapter: string | null; reason: string; baseModel: string; cluster: unknown };
}

/** Replace the stored manifest without telling the isolate's cache (as another writer would). */
const overwrite = (body: unknown) =>
  env.ADAPTERS.put(TEST_MANIFEST_KEY, typeof body === "string" ? body : JSON.stringify(body));

describe("manifest cache", () => {
  it("serves its copy for MANIFEST_TTL_MS and then reads the new manifest", async () => {
    await putManifest();
    expect(await routeOf(SW)).toMatchObject({ adapter: "compass-sw" });
    await overwrite({
      ...MANIFEST,
      languages: { sw: { adapter: { name: "compass-sw-v4", version: "4", sha256: sha("4") } } },
    });
    now += TTL - 1;
    expect(await routeOf(SW)).toMatchObject({ adapter: "compass-sw" });
    now += 2;
    expect(await routeOf(SW)).toMatchObject({ adapter: "compass-sw-v4" });
  });

  it("keeps the last good manifest when a refresh finds an invalid one", async () => {
    await putManifest();
    expect(await routeOf(SW)).toMatchObject({ adapter: "compass-sw" });
    await overwrite("{ not json");
    now += TTL + 1;
    expect(await routeOf(SW)).toMatchObject({ adapter: "compass-sw", reason: "adapter" });
    await overwrite({ schemaVersion: 99, baseModel: "m", languages: {} });
    now += TTL + 1;
    expect(await routeOf(DE)).toMatchObject({ adapter: "compass-de" });
  });

  it("keeps the last good manifest when reading R2 fails, and retries after NEGATIVE_TTL_MS", async () => {
    await putManifest();
    expect(await routeOf(SW)).toMatchObject({ adapter: "compass-sw" });
    const get = vi.spyOn(env.ADAPTERS, "get").mockRejectedValue(new Error("R2 is down"));
    now += TTL + 1;
    expect(await routeOf(SW)).toMatchObject({ adapter: "compass-sw" });
    expect(get).toHaveBeenCalledTimes(1);
    expect(await routeOf(SW)).toMatchObject({ adapter: "compass-sw" });
    expect(get).toHaveBeenCalledTimes(1); // the failure is remembered, not retried per request
    get.mockRestore();
  });

  it("remembers a missing manifest briefly, then finds it once published", async () => {
    await deleteManifest();
    expect(await routeOf(SW)).toMatchObject({ adapter: null, reason: "no-manifest" });
    await overwrite(MANIFEST);
    now += Math.min(NEGATIVE_TTL_MS, TTL) - 1;
    expect(await routeOf(SW)).toMatchObject({ reason: "no-manifest" });
    now += 2;
    expect(await routeOf(SW)).toMatchObject({ adapter: "compass-sw", reason: "adapter" });
  });

  it("lets concurrent requests with a stale copy use it while one of them refreshes (one R2 read)", async () => {
    await putManifest();
    await routeOf(SW);
    now += TTL + 1;
    const get = vi.spyOn(env.ADAPTERS, "get");
    const results = await Promise.all(Array.from({ length: 20 }, () => routeOf(SW)));
    expect(results.every((r) => r.adapter === "compass-sw")).toBe(true);
    expect(get).toHaveBeenCalledTimes(1);
  });
});

describe("manifest validation per language", () => {
  it("disables only the language whose entry is invalid, and logs it", async () => {
    const error = vi.spyOn(console, "error");
    await putManifest({
      ...MANIFEST,
      languages: {
        ...MANIFEST.languages,
        sw: { adapter: { name: "../etc", version: "1" } },
        xx: { adapter: { name: "compass-xx", version: "1" } },
      },
    });
    expect(await routeOf(SW)).toMatchObject({ adapter: null, reason: "no-adapter" });
    expect(await routeOf(DE)).toMatchObject({ adapter: "compass-de", reason: "adapter" });
    const logged = error.mock.calls.map((call) => call.join(" "));
    expect(logged.some((line) => line.includes("entry sw is invalid"))).toBe(true);
    expect(logged.some((line) => line.includes('unknown language code "xx"'))).toBe(true);
  });
});

describe("cluster model cache", () => {
  it("retries a cluster model that was missing at first read after CLUSTER_MODEL_RETRY_MS", async () => {
    const key = `clusters/sw/late-${crypto.randomUUID()}.json`;
    await putManifest({ ...MANIFEST, languages: { sw: { ...MANIFEST.languages.sw, clusterModel: key } } });
    expect(await routeOf(SW)).toMatchObject({ adapter: "compass-sw", cluster: null });
    await env.ADAPTERS.put(
      key,
      JSON.stringify({
        schemaVersion: 1,
        language: "sw",
        version: "late",
        encoder: "compass-sketch-v1",
        dim: 256,
        centroids: [Array.from(sketchEmbedReference("mji mkuu wa Kenya")), Array.from(sketchEmbedReference("mvua"))],
        reference: [0.5, 0.5],
        theta: 0.15,
      }),
    );
    now += CLUSTER_MODEL_RETRY_MS - 1;
    expect(await routeOf(SW)).toMatchObject({ cluster: null });
    now += 2 + TTL;
    expect(await routeOf(SW)).toMatchObject({ cluster: { cluster: 0, modelVersion: "late" } });
  });
});
