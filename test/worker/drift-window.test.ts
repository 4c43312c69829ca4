import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseDriftTrigger } from "../../adapters/trigger";
import { TRIGGER_LOG_NAME } from "../../src/drift/trigger-log.do";
import type { DriftBatch } from "../../src/drift/window.do";

// Four clusters, uniform P_ref: in-distribution traffic cycles through all four, drifted traffic sits in cluster 3.
const MODEL = { version: "1", reference: [0.25, 0.25, 0.25, 0.25], theta: 0.15 };
const steady = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => (i + offset) % 4);
const drifted = (n: number) => Array.from({ length: n }, () => 3);

let batchNo = 0;
function batch(language: string, region: string, clusters: number[], extra: Partial<DriftBatch> = {}): DriftBatch {
  return { id: `test-${++batchNo}`, language, region, model: MODEL, clusters, texts: null, ...extra };
}

function stub(name: string) {
  return env.DRIFT_WINDOWS.get(env.DRIFT_WINDOWS.idFromName(name));
}

describe("DriftWindow", () => {
  it("checks only once the window is full, then every 100 samples, as the trainer's monitor does", async () => {
    const window = stub("sw:cadence");
    const first = await window.record(batch("sw", "cadence", steady(999)), "region");
    expect(first).toMatchObject({ accepted: 999, checks: 0, triggers: [] });
    const second = await window.record(batch("sw", "cadence", steady(201, 999)), "region");
    expect(second.checks).toBe(3); // after samples 1000, 1100 and 1200
    const snapshot = await window.snapshot();
    expect(snapshot.timeline.map((c) => c.sample)).toEqual([1000, 1100, 1200]);
    expect(snapshot.samples).toBe(1000);
    expect(snapshot.js).toBeCloseTo(0, 6);
  });

  it("applies a retried batch once: the same id is acknowledged as a duplicate and changes nothing", async () => {
    const window = stub("sw:retry");
    const b = batch("sw", "retry", steady(50));
    expect((await window.record(b, "region")).duplicate).toBe(false);
    expect((await window.record(b, "region")).duplicate).toBe(true);
    expect((await window.snapshot()).totalSamples).toBe(50);
  });

  it("refuses a malformed batch without changing its state", async () => {
    const window = stub("sw:malformed");
    await window.record(batch("sw", "malformed", steady(10)), "region");
    expect((await window.record(batch("sw", "malformed", [0, 7]), "region")).rejected).toMatch(/cluster 7/);
    const texts = await window.record(batch("sw", "malformed", [0], { texts: ["a", "b"] }), "region");
    expect(texts.rejected).toMatch(/one text per assignment/);
    const otherK = await window.record(
      batch("sw", "malformed", [0], { model: { ...MODEL, reference: [0.5, 0.5] } }),
      "region",
    );
    expect(otherK.rejected).toMatch(/has 4 clusters/);
    expect((await window.snapshot()).totalSamples).toBe(10);
  });

  it("loses none of 10,000 increments sent as 500 concurrent batches to one (language, region), retries included", async () => {
    const window = stub("sw:concurrent");
    const batches = Array.from({ length: 500 }, (_, i) => batch("sw", "concurrent", steady(20, i)));
    const retried = batches.filter((_, i) => i % 10 === 0);
    const results = await Promise.all([...batches, ...retried].map((b) => window.record(b, "region")));
    expect(results.filter((r) => !r.duplicate).reduce((n, r) => n + r.accepted, 0)).toBe(10_000);
    expect(results.filter((r) => r.duplicate).length).toBe(50);
    const snapshot = await window.snapshot();
    expect(snapshot.totalSamples).toBe(10_000);
    expect(snapshot.samples).toBe(1000);
  });

  it("resets the window when a new cluster-model version arrives, and drops the old version's late batches", async () => {
    const window = stub("sw:versions");
    await window.record(batch("sw", "versions", steady(1200)), "region");
    const v2 = { version: "2", reference: [0.1, 0.2, 0.3, 0.4], theta: 0.2 };
    await window.record(batch("sw", "versions", steady(10), { model: v2 }), "region");
    const snapshot = await window.snapshot();
    expect(snapshot).toMatchObject({ modelVersion: "2", samples: 10, totalSamples: 10, theta: 0.2, js: null });
    expect(snapshot.reference).toEqual(v2.reference);
    const late = await window.record(batch("sw", "versions", steady(5)), "region");
    expect(late).toMatchObject({ stale: 5, accepted: 0 });
    expect((await window.snapshot()).modelVersion).toBe("2");
  });

  it("triggers once over θ, adopts the window as P_ref, restarts it, and delivers the trigger and its texts", async () => {
    const window = stub("sw:eu");
    const texts = (n: number, label: string) => Array.from({ length: n }, (_, i) => `${label} ${i}`);
    await window.record(batch("sw", "eu", steady(1000), { texts: texts(1000, "steady") }), "region");
    const result = await window.record(batch("sw", "eu", drifted(1000), { texts: texts(1000, "drifted") }), "region");
    expect(result.triggers).toEqual(["sw.eu.1.1"]);
    const snapshot = await window.snapshot();
    expect(snapshot.triggers).toBe(1);
    expect(snapshot.reference[3]).toBeGreaterThan(0.25); // the window it fired on
    expect(snapshot.samples).toBeLessThan(1000); // restarted

    // The alarm may already be running on its own; either way the outbox row ends up sent.
    await runDurableObjectAlarm(window);
    const outbox = () =>
      runInDurableObject(window, (_, state) =>
        state.storage.sql.exec<{ body: string; sent: number }>("SELECT body, sent FROM outbox").one(),
      );
    await expect.poll(async () => (await outbox()).sent, { timeout: 5000 }).toBe(1);
    const trigger = parseDriftTrigger(JSON.parse((await outbox()).body));
    expect(trigger).toMatchObject({ id: "sw.eu.1.1", language: "sw", region: "eu", modelVersion: "1", theta: 0.15 });
    expect(trigger.js).toBeGreaterThan(0.15);
    expect(trigger.windowSamples).toBe(1000);
    const file = await env.ADAPTERS.get(trigger.windowKey!);
    expect(trigger.windowKey).toBe("windows/sw/eu/sw.eu.1.1.jsonl");
    const lines = (await file!.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.length).toBeLessThanOrEqual(250);
    expect(lines[0]).toMatchObject({ language_code: "sw" });
    expect(lines.every((l) => /^(steady|drifted) \d+$/.test(l.inputs))).toBe(true);

    // The queue consumer records it where GET /admin/triggers lists it.
    const log = env.DRIFT_TRIGGER_LOG.get(env.DRIFT_TRIGGER_LOG.idFromName(TRIGGER_LOG_NAME));
    await expect
      .poll(async () => (await log.list(null, 0, 100)).triggers.map((t) => t.id), { timeout: 5000 })
      .toContain("sw.eu.1.1");
  });
});

describe("DriftWindow as the per-language rollup", () => {
  it("defers to the region whose own window explains the drift", async () => {
    const rollup = stub("yo:all");
    for (let i = 0; i < 20; i++) {
      await rollup.record(batch("yo", "eu", steady(100, i)), "all");
      await rollup.record(batch("yo", "af", i < 10 ? steady(300, i) : drifted(300)), "all");
    }
    const snapshot = await rollup.snapshot();
    expect(snapshot.regions).toEqual(["eu", "af"]);
    expect(snapshot.triggers).toBe(0);
    expect(snapshot.timeline.filter((c) => c.outcome === "deferred").map((c) => c.deferredTo)).toContain("af");
  });

  it("triggers on drift spread thinly over regions that no single region explains", async () => {
    const rollup = stub("ha:all");
    const regions = ["eu", "af", "as", "na"];
    for (let i = 0; i < 15; i++)
      for (const region of regions)
        await rollup.record(batch("ha", region, i < 5 ? steady(50, i) : [...steady(10, i), ...drifted(40)]), "all");
    const snapshot = await rollup.snapshot();
    expect(snapshot.triggers).toBeGreaterThanOrEqual(1);
    expect(snapshot.triggerIds[0]).toBe("ha.all.1.1");
    expect(snapshot.timeline.some((c) => c.outcome === "deferred")).toBe(false);
  });
});
