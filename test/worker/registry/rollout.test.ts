import { describe, expect, it } from "vitest";
import type { AdapterRef, LanguageEntry } from "../../../adapters/manifest";
import { applyRollout } from "../../../src/registry/rollout";
import { decideRoute } from "../../../src/route";
import { sha } from "../helpers";

const v1: AdapterRef = { name: "compass-sw", version: "1", sha256: sha("1") };
const v2: AdapterRef = { name: "compass-sw-v2", version: "2", sha256: sha("2") };
const v3: AdapterRef = { name: "compass-sw-v3", version: "3", sha256: sha("3") };
const at = "2026-11-24T00:00:00Z";

function ok(result: ReturnType<typeof applyRollout>): LanguageEntry {
  if (!result.ok) throw new Error(`refused: ${result.refusal}`);
  return result.entry;
}

describe("rollout state machine", () => {
  it("starts a canary beside the stable adapter with its share", () => {
    const entry = ok(applyRollout({ adapter: v1 }, { action: "canary", adapter: v2, share: 0.1, at }));
    expect(entry).toEqual({ adapter: v1, canary: { adapter: v2, share: 0.1, startedAt: at } });
  });

  it("promotes the canary and keeps the old stable for rollback", () => {
    const canary = ok(applyRollout({ adapter: v1 }, { action: "canary", adapter: v2, share: 0.1, at }));
    expect(ok(applyRollout(canary, { action: "promote" }))).toEqual({ adapter: v2, previous: [v1] });
  });

  it("rolls a running canary back by dropping it, leaving the stable untouched", () => {
    const canary = ok(applyRollout({ adapter: v1, previous: [v3] }, { action: "canary", adapter: v2, share: 0.5, at }));
    expect(ok(applyRollout(canary, { action: "rollback" }))).toEqual({ adapter: v1, previous: [v3] });
  });

  it("rollback without a canary restores exactly the previous stable", () => {
    const promoted = ok(applyRollout({ adapter: v2, previous: [v1] }, { action: "rollback" }));
    expect(promoted).toEqual({ adapter: v1 });
    const twice = ok(applyRollout({ adapter: v3, previous: [v1, v2] }, { action: "rollback" }));
    expect(twice).toEqual({ adapter: v2, previous: [v1] });
  });

  it("abort drops the canary", () => {
    const canary = ok(applyRollout({ adapter: v1 }, { action: "canary", adapter: v2, share: 0.1, at }));
    expect(ok(applyRollout(canary, { action: "abort" }))).toEqual({ adapter: v1 });
  });

  it("keeps the clusterModel and targetOnly fields through every transition", () => {
    const start: LanguageEntry = { adapter: v1, clusterModel: "clusters/sw/1.json", targetOnly: v3 };
    const canary = ok(applyRollout(start, { action: "canary", adapter: v2, share: 0.1, at }));
    expect(ok(applyRollout(canary, { action: "promote" }))).toMatchObject({
      clusterModel: "clusters/sw/1.json",
      targetOnly: v3,
    });
  });

  it.each([
    ["canary without a stable", undefined, { action: "canary", adapter: v2, share: 0.1, at }, "no-stable"],
    [
      "a second canary",
      { adapter: v1, canary: { adapter: v2, share: 0.1 } },
      { action: "canary", adapter: v3, share: 0.1, at },
      "canary-in-progress",
    ],
    [
      "canary of the stable version",
      { adapter: v1 },
      { action: "canary", adapter: v1, share: 0.1, at },
      "same-as-stable",
    ],
    [
      "canary without sha256",
      { adapter: v1 },
      { action: "canary", adapter: { name: "x", version: "9" }, share: 0.1, at },
      "unverified-adapter",
    ],
    ["promote with no canary", { adapter: v1 }, { action: "promote" }, "no-canary"],
    ["abort with no canary", { adapter: v1 }, { action: "abort" }, "no-canary"],
    ["rollback with nothing earlier", { adapter: v1 }, { action: "rollback" }, "no-previous"],
  ] as const)("refuses %s", (_name, entry, command, refusal) => {
    const result = applyRollout(entry as LanguageEntry | undefined, command);
    expect(result).toMatchObject({ ok: false, refusal });
  });

  it("refuses a guard decision about a canary that is no longer running", () => {
    const entry: LanguageEntry = { adapter: v1, canary: { adapter: v3, share: 0.1 } };
    expect(applyRollout(entry, { action: "rollback" }, "2")).toMatchObject({ ok: false, refusal: "stale-canary" });
    expect(applyRollout(entry, { action: "rollback" }, "3")).toMatchObject({ ok: true });
  });
});

describe("routing never serves an adapter whose sha256 the manifest does not state", () => {
  const detection = { language: "sw" as const, confidence: 0.9, runnerUp: null };
  const options = { minConfidence: 0.5, defaultBaseModel: "base", canaryDraw: 0.01 };
  const manifest = (entry: LanguageEntry) => ({ schemaVersion: 1 as const, baseModel: "m", languages: { sw: entry } });

  it("sends a stable adapter without sha256 to the base model", () => {
    const decision = decideRoute(detection, manifest({ adapter: { name: "compass-sw", version: "1" } }), options);
    expect(decision).toMatchObject({ adapter: null, reason: "unverified-adapter" });
  });

  it("keeps canary traffic on the stable adapter when the canary has no sha256", () => {
    const entry = { adapter: v1, canary: { adapter: { name: "forged", version: "9" }, share: 1 } };
    expect(decideRoute(detection, manifest(entry), options)).toMatchObject({
      adapter: "compass-sw",
      reason: "adapter",
    });
  });

  it("routes the canary's share to a canary that states its sha256", () => {
    const entry = { adapter: v1, canary: { adapter: v2, share: 0.1 } };
    expect(decideRoute(detection, manifest(entry), options)).toMatchObject({ adapterVersion: "2", reason: "canary" });
  });
});
