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

describe("trigram tables", () => {
  for (const script of ["Latin", "Cyrillic", "Arabic", "Devanagari"]) {
    it(`give franc's own scores, bit for bit, on every evaluation string franc reads as ${script}`, () => {
      const pool = trigramPool(script, Object.keys(data[script] ?? {}));
      let compared = 0;
      for (const text of allTexts()) {
        if (francTopScript(text) !== script) continue;
        expect(trigramScores(text, pool)).toEqual(francAll(text, { only: [...pool.codes], minLength: 1 }));
        compared++;
      }
      expect(compared).toBeGreaterThan(script === "Latin" ? 20_000 : 100);
    });
  }

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
