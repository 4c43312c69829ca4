import { francAll } from "franc";
import { data } from "franc/data.js";
import { expressions } from "franc/expressions.js";
import { describe, expect, it } from "vitest";
import { trigramPool, trigramScores } from "../../src/lid/trigrams";
import evalSet from "../fixtures/lid-eval.json";
import packagedSet from "../fixtures/lid-eval-packages.json";

/** Every string of both evaluation sets. */
function allTexts(): string[] {
  const texts: string[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === "string") texts.push(x);
    else if (Array.isArray(x)) for (const y of x) walk(y);
    else if (x && typeof x === "object") for (const y of Object.values(x)) walk(y);
  };
  walk(evalSet);
  walk(packagedSet);
  return texts;
}

/** franc's own script vote (the script whose expression matches most characters). */
function francTopScript(text: string): string | undefined {
  let best: string | undefined;
  let bestCount = -1;
  for (const [script, expression] of Object.entries(expressions)) {
    const count = (text.match(expression)?.length ?? 0) / text.length || 0;
    if (count > bestCount) [best, bestCount] = [script, count];
  }
  return best;
}

/** Whether each of the text's trigrams (as franc cleans and pads it) occurs once. */
function trigramsOnce(text: string): boolean {
  const padded = ` ${text
    .replace(/[\u0021-\u0040]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase()} `;
  const seen = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const trigram = padded.slice(i, i + 3);
    if (seen.has(trigram)) return false;
    seen.add(trigram);
  }
  return true;
}

describe("trigram tables", () => {
  for (const script of ["Latin", "Cyrillic", "Arabic", "Devanagari"]) {
    it(`rank languages in franc's own order on every evaluation string franc reads as ${script} whose trigrams each occur once`, () => {
      const pool = trigramPool(script, Object.keys(data[script] ?? {}));
      let compared = 0;
      for (const text of allTexts()) {
        if (francTopScript(text) !== script || !trigramsOnce(text.slice(0, 2048))) continue;
        const order = (scores: Array<[string, number]>) => scores.map(([code]) => code);
        expect(order(trigramScores(text, pool))).toEqual(
          order(francAll(text, { only: [...pool.codes], minLength: 1 })),
        );
        compared++;
      }
      expect(compared).toBeGreaterThan(script === "Latin" ? 5_000 : 100);
    });
  }

  it("score a text repeated 2 and 10 times as they score it once (franc's spread shrank with the length)", () => {
    const pool = trigramPool("Latin", Object.keys(data.Latin ?? {}));
    for (const text of ["Mji mkuu wa Kenya ni upi?", "Wie funktioniert die Photosynthese bei Pflanzen?"]) {
      const once = new Map(trigramScores(text, pool));
      for (const times of [2, 10]) {
        const repeated = trigramScores(Array(times).fill(text).join(" "), pool);
        expect(repeated[0]?.[0]).toBe(trigramScores(text, pool)[0]?.[0]);
        // Only the trigrams across the join are new: every score moves by little.
        for (const [code, score] of repeated) expect(Math.abs(score - (once.get(code) ?? 0))).toBeLessThan(0.1);
      }
    }
  });

  it("leave out codes franc has no profile for under the script, as franc does", () => {
    const pool = trigramPool("Latin", ["eng", "rus", "xyz"]);
    expect(pool.codes).toEqual(["eng"]);
    expect(trigramScores("hello there", pool)).toEqual([["eng", 1]]);
  });

  it("answer und for an empty text or an empty pool", () => {
    expect(trigramScores("", trigramPool("Latin", ["eng"]))).toEqual([["und", 1]]);
    expect(trigramScores("hello", trigramPool("Latin", []))).toEqual([["und", 1]]);
  });
});
