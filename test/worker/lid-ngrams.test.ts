import { describe, expect, it } from "vitest";
import type { LanguageCode } from "../../adapters/languages";
import { CHAR_NGRAMS } from "../../src/lid/char-ngrams";
import { EVIDENCE } from "../../src/lid/lexicon";
import { ngramScores, ngramTable } from "../../src/lid/ngram-model";

const WORDFREQ: LanguageCode[] = ["en", "de", "pl", "cs", "id", "ms"];
const POOL: LanguageCode[] = [...WORDFREQ, "sw", "ha"];
const HAND_LISTS = Object.fromEntries(
  Object.entries(EVIDENCE.Latin).map(([code, evidence]) => [code, evidence.words]),
) as Partial<Record<LanguageCode, readonly string[]>>;

describe("letter n-gram model (wordfreq-weighted 1- to 4-grams)", () => {
  const table = ngramTable("Latin", POOL, HAND_LISTS);
  if (!table) throw new Error("char-ngrams.ts has no Latin table");

  it("has a column per pool language: wordfreq's where generated, the hand list's otherwise", () => {
    expect(table.codes).toEqual(POOL);
    expect(Object.keys(CHAR_NGRAMS.Latin ?? {})).toEqual(expect.arrayContaining(WORDFREQ));
    expect(Object.keys(CHAR_NGRAMS.Latin ?? {})).not.toContain("sw");
  });

  it("scores the best-spelt language 0 and the others below it", () => {
    const polish = ngramScores(["przeglądarka", "ustawienia"], table, WORDFREQ);
    expect(polish.get("pl")).toBe(0);
    for (const [code, score] of polish) if (code !== "pl") expect(score).toBeLessThan(0);
    expect(ngramScores(["einstellungen", "übernehmen"], table, WORDFREQ).get("de")).toBe(0);
  });

  it("gives a language without a wordfreq list a model of its hand list", () => {
    expect(ngramScores(["nzuri", "sana"], table, ["sw", "en", "pl"]).get("sw")).toBe(0);
  });

  it("answers for the pool asked for only, and nothing without words", () => {
    expect([...ngramScores(["ustawienia"], table, ["cs", "de"]).keys()].sort()).toEqual(["cs", "de"]);
    expect(ngramScores([], table, POOL).size).toBe(0);
  });

  it("reads a word repeated as it reads it once (scores are per n-gram)", () => {
    const once = ngramScores(["kerana"], table, ["id", "ms"]);
    const thrice = ngramScores(["kerana", "kerana", "kerana"], table, ["id", "ms"]);
    expect(thrice.get("id")).toBeCloseTo(once.get("id") ?? Number.NaN, 12);
  });
});
