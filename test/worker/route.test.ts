import { beforeEach, describe, expect, it } from "vitest";
import { deleteManifest, postJson, putManifest } from "./helpers";

interface Decision {
  language: string | null;
  confidence: number;
  adapter: string | null;
  reason: string;
  baseModel: string;
}

async function route(body: unknown, headers: Record<string, string> = {}) {
  const res = await postJson("/v1/route", body, {}, headers);
  return { res, decision: (await res.json()) as Decision };
}

describe("POST /v1/route", () => {
  beforeEach(() => putManifest());

  it.each([
    ["sw", "Mji mkuu wa Kenya ni upi na una watu wangapi?", "compass-sw"],
    ["de", "Wie funktioniert die Photosynthese bei Pflanzen?", "compass-de"],
    ["ja", "光合成の仕組みを教えてください", "compass-ja"],
  ])("routes %s text to that language's adapter", async (language, text, adapter) => {
    const { res, decision } = await route({ text });
    expect(res.status).toBe(200);
    expect(decision).toMatchObject({ language, adapter, reason: "adapter" });
    expect(decision.confidence).toBeGreaterThan(0.5);
    expect(res.headers.get("x-compass-adapter")).toBe(adapter);
    expect(res.headers.get("x-compass-language")).toBe(language);
  });

  it("falls back to the target-only adapter when the language has no COMPASS adapter", async () => {
    const { decision } = await route({ text: "Ẹ jọ̀wọ́, ṣé ẹ lè ràn mí lọ́wọ́ láti kọ lẹ́tà yìí?" });
    expect(decision).toMatchObject({ language: "yo", adapter: "target-yo", reason: "target-only" });
  });

  it("sends a language without any adapter to the base model", async () => {
    const { decision } = await route({ text: "Какая столица Канады и сколько там жителей?" });
    expect(decision).toMatchObject({
      language: "ru",
      adapter: null,
      reason: "no-adapter",
      baseModel: "meta-llama/Llama-3.1-8B-Instruct",
    });
  });

  it("sends text with nothing in a language to the base model, saying so", async () => {
    const { res, decision } = await route({ text: "12345 + 678 = ?" });
    expect(decision).toMatchObject({ language: null, adapter: null, reason: "nothing-to-identify" });
    expect(res.headers.get("x-compass-language")).toBe("unknown");
    expect(res.headers.get("x-compass-adapter")).toBe("base");
  });

  it("counts detections below LID_MIN_CONFIDENCE as low-confidence and routes them to the base model", async () => {
    const text = "Wie funktioniert das?";
    const { confidence } = (await (await postJson("/v1/route", { text })).json()) as { confidence: number };
    const res = await postJson("/v1/route", { text }, { LID_MIN_CONFIDENCE: String(confidence + 1e-3) });
    expect(await res.json()).toMatchObject({ language: "de", adapter: null, reason: "low-confidence" });
  });

  it("identifies the last user message of a messages array, ignoring code and links", async () => {
    const { decision } = await route({
      messages: [
        { role: "user", content: "Wie geht es dir?" },
        { role: "assistant", content: "Gut." },
        {
          role: "user",
          content: [
            {
              type: "text",
              text: "Nieleze kazi ya code hii tafadhali: ```python\nprint('hello world, how are you')\n``` https://example.com/how-to-read-this",
            },
          ],
        },
      ],
    });
    expect(decision).toMatchObject({ language: "sw", adapter: "compass-sw" });
  });

  it("keeps a client on one side of a canary when it sends a sticky key", async () => {
    const text = "Quelle est la meilleure façon d'apprendre la programmation ?";
    const sides = new Set<string | null>();
    for (let i = 0; i < 5; i++)
      sides.add((await route({ text }, { "x-compass-sticky-key": "user-42" })).decision.adapter);
    expect(sides.size).toBe(1);
    const all = new Set<string | null>();
    for (let i = 0; i < 40; i++)
      all.add((await route({ text }, { "x-compass-sticky-key": `user-${i}` })).decision.adapter);
    expect(all).toEqual(new Set(["compass-fr", "compass-fr-v5"]));
  });
});

describe("manifest problems degrade to the base model", () => {
  it("routes to the base model when the manifest is missing", async () => {
    await deleteManifest();
    const res = await postJson("/v1/route", { text: "Mji mkuu wa Kenya ni upi?" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ language: "sw", adapter: null, reason: "no-manifest", baseModel: "base" });
  });

  it.each([
    ["not JSON", "{ this is not json"],
    ["wrong schema version", JSON.stringify({ schemaVersion: 99, baseModel: "m", languages: {} })],
  ])("routes to the base model when the manifest is invalid (%s) and none was good before", async (_, manifest) => {
    await putManifest(manifest);
    const res = await postJson("/v1/route", { text: "Mji mkuu wa Kenya ni upi?" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ adapter: null, reason: "no-manifest" });
  });
});

describe("LID reads a bounded share of long requests", () => {
  beforeEach(() => putManifest());

  it("finds the prose after a long code block, and identifies a very long text by its start", async () => {
    const code = `\`\`\`python\n${"print(compute_value(x, y))\n".repeat(100)}\`\`\`\n`;
    const afterCode = await route({ text: `${code}Wie funktioniert die Photosynthese bei Pflanzen?` });
    expect(afterCode.decision).toMatchObject({ language: "de", adapter: "compass-de" });
    const sentence = "Wie funktioniert die Photosynthese bei Pflanzen, und warum brauchen sie dafür Licht und Wasser? ";
    const long = await route({ text: sentence.repeat(200) });
    expect(long.decision).toMatchObject({ language: "de", adapter: "compass-de" });
  });
});
