import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { parseClusterModel } from "../../adapters/cluster-model";
import { WasmSketchEncoder } from "../../kernels/src";
import { EdgeScorer } from "../../src/edge-model";
import { kernels } from "../../src/kernels";
import vectors from "../vectors/edge-model.json";
import { MANIFEST, postJson, putManifest } from "./helpers";

// test/vectors/edge-model.json (trainer/tests/heavy_encoder.py): sample rows clustered by a heavy-encoder stand-in,
// the trainer's edge model, and held-out rows with their trainer cluster and the scores the model gives them.
const model = parseClusterModel(vectors.model);
const held = vectors.held_out;

describe("the edge cluster model on the kernels", () => {
  it("reproduces the trainer's f32 scores on every held-out row", () => {
    const scorer = new EdgeScorer(kernels, model.edge as NonNullable<typeof model.edge>);
    const encoder = new WasmSketchEncoder(kernels);
    let worst = 0;
    for (const row of held) {
      encoder.embed(row.text);
      const scores = scorer.scores(encoder.embedding);
      for (let i = 0; i < scores.length; i++)
        worst = Math.max(worst, Math.abs((scores[i] as number) - (row.scores[i] as number)));
    }
    expect(worst).toBeLessThan(1e-3);
  });
});

describe("/v1/route assigns held-out text to the trainer's cluster through the edge model", () => {
  beforeAll(async () => {
    // One cluster model for every language of the sample data: the clusters are cross-lingual.
    await env.ADAPTERS.put("clusters/edge/1.json", JSON.stringify(model));
    const languages = Object.fromEntries(
      ["sw", "en", "de", "es", "ru", "hi", "ar", "zh"].map((code) => [
        code,
        { adapter: { name: `compass-${code}`, version: "1" }, clusterModel: "clusters/edge/1.json" },
      ]),
    );
    await putManifest({ ...MANIFEST, languages });
  });

  it("agrees with the trainer on ≥ 90% of held-out requests (nearest centroid: the model's stored figure)", async () => {
    let agree = 0;
    let assigned = 0;
    for (const row of held) {
      const res = await postJson("/v1/route", { text: row.text });
      const body = (await res.json()) as { cluster: { cluster: number; method: string } | null };
      if (body.cluster === null) continue;
      assigned++;
      expect(body.cluster.method).toBe("edge-model");
      if (body.cluster.cluster === row.cluster) agree++;
    }
    expect(assigned / held.length).toBeGreaterThanOrEqual(0.95);
    expect(agree / held.length).toBeGreaterThanOrEqual(0.9);
    expect(agree / held.length).toBeGreaterThan(model.edge?.centroidAgreement ?? 1);
  });
});

describe("the cluster model contract's edge block", () => {
  const edge = model.edge as NonNullable<typeof model.edge>;
  it.each([
    ["a key that climbs out of the model's prefix", { ...edge, onnx: "../other/model.onnx" }],
    ["an absolute key", { ...edge, onnx: "/model.onnx" }],
    ["a layer whose rows do not match the sketch dim", { ...edge, layers: [{ ...edge.layers[0], weights: [[1, 2]] }] }],
    [
      "a last layer that does not score every centroid",
      {
        ...edge,
        layers: [{ ...edge.layers[0], weights: edge.layers[0]?.weights.slice(1), bias: edge.layers[0]?.bias.slice(1) }],
      },
    ],
  ])("refuses %s", (_, bad) => {
    expect(() => parseClusterModel({ ...vectors.model, edge: bad })).toThrow();
  });
});
