import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { sketchEmbedReference } from "../../kernels/src";
import { MANIFEST, postJson, putManifest } from "./helpers";

// Four Swahili topics; each centroid is the sketch of one short text, as the trainer would publish after clustering.
const topics = [
  "hali ya hewa kesho mvua na jua",
  "jinsi ya kupika wali na pilau",
  "mji mkuu wa nchi ya Kenya",
  "nadharia ya fizikia na sayansi",
];
const clusterModel = {
  schemaVersion: 1,
  language: "sw",
  version: "1",
  encoder: "compass-sketch-v1",
  dim: 256,
  centroids: topics.map((t) => Array.from(sketchEmbedReference(t))),
  reference: [0.25, 0.25, 0.25, 0.25],
  theta: 0.15,
};

async function putClusterModel(key: string, model: unknown) {
  await env.ADAPTERS.put(key, JSON.stringify(model));
  await putManifest({
    ...MANIFEST,
    languages: { ...MANIFEST.languages, sw: { ...MANIFEST.languages.sw, clusterModel: key } },
  });
}

describe("/v1/route reports the request's cluster", () => {
  beforeEach(() => putClusterModel("clusters/sw/1.json", clusterModel));

  it.each([
    ["Je, kesho kutakuwa na mvua au jua?", 0],
    ["Nifundishe jinsi ya kupika pilau tamu", 1],
    ["Mji mkuu wa Kenya ni upi?", 2],
  ])("assigns %j to cluster %i with a positive margin", async (text, cluster) => {
    const res = await postJson("/v1/route", { text });
    const body = (await res.json()) as {
      language: string;
      cluster: { cluster: number; distance: number; margin: number; modelVersion: string };
    };
    expect(body.language).toBe("sw");
    expect(body.cluster).toMatchObject({ cluster, modelVersion: "1" });
    expect(body.cluster.margin).toBeGreaterThan(0);
    expect(body.cluster.distance).toBeGreaterThanOrEqual(0);
  });

  it("reports no cluster for a language without a cluster model", async () => {
    const res = await postJson("/v1/route", { text: "Wie funktioniert die Photosynthese?" });
    expect(await res.json()).toMatchObject({ language: "de", cluster: null });
  });

  it("reports no cluster (and still routes) when the cluster model is invalid", async () => {
    await putClusterModel("clusters/sw/broken.json", { ...clusterModel, version: "broken", reference: [1, 1, 1, 1] });
    const res = await postJson("/v1/route", { text: "Mji mkuu wa Kenya ni upi?" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ adapter: "compass-sw", cluster: null });
  });
});

describe("the cluster model follows the stable adapter", () => {
  const withPath = (path: string, extra: Record<string, unknown> = {}) =>
    putManifest({
      ...MANIFEST,
      languages: {
        ...MANIFEST.languages,
        sw: { ...MANIFEST.languages.sw, ...extra, adapter: { ...MANIFEST.languages.sw?.adapter, path } },
      },
    });

  it("reads cluster_model.json beside the stable adapter's files when the entry names no cluster model", async () => {
    await env.ADAPTERS.put(
      "adapters/sw/compass-sw/7/cluster_model.json",
      JSON.stringify({ ...clusterModel, version: "7" }),
    );
    await withPath("adapters/sw/compass-sw/7/");
    const res = await postJson("/v1/route", { text: "Mji mkuu wa Kenya ni upi?" });
    expect(await res.json()).toMatchObject({ cluster: { cluster: 2, modelVersion: "7" } });
  });

  it("keeps an explicit clusterModel over the adapter's own", async () => {
    await env.ADAPTERS.put("clusters/sw/pinned.json", JSON.stringify({ ...clusterModel, version: "pinned" }));
    await withPath("adapters/sw/compass-sw/7/", { clusterModel: "clusters/sw/pinned.json" });
    const res = await postJson("/v1/route", { text: "Mji mkuu wa Kenya ni upi?" });
    expect(await res.json()).toMatchObject({ cluster: { modelVersion: "pinned" } });
  });
});
