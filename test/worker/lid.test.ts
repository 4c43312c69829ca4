import { describe, expect, it } from "vitest";
import { LANGUAGES, toCanonical, toFrancCode, toIso6393 } from "../../adapters/languages";
import { detectLanguage } from "../../src/lid/detect";
import { stripNonProse, textForIdentification } from "../../src/lid/text";
import evalSet from "../fixtures/lid-eval.json";

const languages = evalSet.languages as Record<string, { short: string[]; sentences: string[] }>;

describe("language identification", () => {
  it("covers all 42 Global-MMLU languages in the evaluation set", () => {
    expect(Object.keys(languages).sort()).toEqual([...LANGUAGES].sort());
  });

  it("reaches macro accuracy >= 0.92 on short query-like strings and >= 0.97 on sentences", () => {
    const macro = (kind: "short" | "sentences") =>
      LANGUAGES.reduce((sum, lang) => {
        const items = languages[lang]?.[kind] ?? [];
        return sum + items.filter((t) => detectLanguage(t).language === lang).length / items.length;
      }, 0) / LANGUAGES.length;
    expect(macro("short")).toBeGreaterThanOrEqual(0.92);
    expect(macro("sentences")).toBeGreaterThanOrEqual(0.97);
  });

  it("restricts answers to the given candidates", () => {
    expect(detectLanguage("Wie geht es dir heute?", { candidates: ["nl", "sv"] }).language).toMatch(/^(nl|sv)$/);
    expect(detectLanguage("Какая столица Канады?", { candidates: ["de", "fr"] }).language).toBeNull();
  });

  it("returns unknown for text without letters", () => {
    expect(detectLanguage("1234 😀 !!!")).toEqual({ language: null, confidence: 0, runnerUp: null });
  });
});

describe("language codes", () => {
  it.each([
    ["swh", "sw"],
    ["npi", "ne"],
    ["arb", "ar"],
    ["pes", "fa"],
    ["cmn", "zh"],
    ["tgl", "fil"],
    ["pt-BR", "pt"],
    ["zh_Hans", "zh"],
    ["iw", "he"],
    ["deu", "de"],
    ["fil", "fil"],
    ["xx", undefined],
  ])("maps %s to %s", (code, canonical) => {
    expect(toCanonical(code)).toBe(canonical);
  });

  it("round-trips every canonical code through ISO 639-3 and franc's codes", () => {
    for (const code of LANGUAGES) {
      expect(toCanonical(toIso6393(code))).toBe(code);
      expect(toCanonical(toFrancCode(code))).toBe(code);
    }
  });
});

describe("text extraction", () => {
  it("drops code blocks, inline code and URLs, keeping prose", () => {
    expect(stripNonProse("Eleza hii `x = 1` ```js\nconsole.log(1)\n``` tazama https://example.com")).toBe(
      "Eleza hii     tazama",
    );
  });

  it("keeps the original when nothing but code is left", () => {
    expect(stripNonProse("```\nprint(1)\n```")).toBe("```\nprint(1)\n```");
  });

  it("reads the last user message, including multi-part content", () => {
    const text = textForIdentification([
      { role: "user", content: "first" },
      { role: "assistant", content: "reply" },
      { role: "user", content: [{ type: "image_url" }, { type: "text", text: "second" }] },
    ]);
    expect(text).toBe("second");
  });
});

describe("shared language vectors", () => {
  it("matches test/vectors/languages.json (asserted by the Python trainer too)", async () => {
    const vectors = (await import("../vectors/languages.json")).default as {
      languages: string[];
      iso639_3: Record<string, string>;
      aliases: Record<string, string>;
    };
    expect([...LANGUAGES]).toEqual(vectors.languages);
    for (const code of LANGUAGES) expect(toIso6393(code)).toBe(vectors.iso639_3[code]);
    for (const [alias, code] of Object.entries(vectors.aliases)) expect(toCanonical(alias)).toBe(code);
  });
});
