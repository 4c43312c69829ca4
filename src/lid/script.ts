/**
 * Unicode script counting. Many of the 42 languages are the only one of the set written in their script, so the
 * script alone decides them; the rest (Latin, Cyrillic, Arabic, Devanagari, Han) narrow the candidate list.
 *
 * Code-point ranges rather than `\p{Script=…}` regexes: one comparison chain per character instead of a dozen
 * regex calls keeps LID within the per-request budget (see `npm run lid:compare`).
 */

export type Script =
  | "Latin"
  | "Cyrillic"
  | "Arabic"
  | "Devanagari"
  | "Han"
  | "Kana"
  | "Hangul"
  | "Ethiopic"
  | "Greek"
  | "Hebrew"
  | "Bengali"
  | "Telugu"
  | "Sinhala";

/** [first, last, script] blocks, sorted by first code point, for binary search. */
const BLOCKS: ReadonlyArray<readonly [number, number, Script]> = [
  [0x0041, 0x005a, "Latin"],
  [0x0061, 0x007a, "Latin"],
  [0x00c0, 0x024f, "Latin"],
  [0x0250, 0x02af, "Latin"],
  [0x0370, 0x03ff, "Greek"],
  [0x0400, 0x052f, "Cyrillic"],
  [0x0590, 0x05ff, "Hebrew"],
  [0x0600, 0x06ff, "Arabic"],
  [0x0750, 0x077f, "Arabic"],
  [0x0900, 0x097f, "Devanagari"],
  [0x0980, 0x09ff, "Bengali"],
  [0x0c00, 0x0c7f, "Telugu"],
  [0x0d80, 0x0dff, "Sinhala"],
  [0x1100, 0x11ff, "Hangul"],
  [0x1200, 0x139f, "Ethiopic"],
  [0x1e00, 0x1eff, "Latin"],
  [0x1f00, 0x1fff, "Greek"],
  [0x2d80, 0x2ddf, "Ethiopic"],
  [0x3040, 0x309f, "Kana"],
  [0x30a0, 0x30ff, "Kana"],
  [0x3130, 0x318f, "Hangul"],
  [0x3400, 0x4dbf, "Han"],
  [0x4e00, 0x9fff, "Han"],
  [0xa640, 0xa69f, "Cyrillic"],
  [0xab00, 0xab2f, "Ethiopic"],
  [0xac00, 0xd7af, "Hangul"],
  [0xf900, 0xfaff, "Han"],
  [0xfb1d, 0xfb4f, "Hebrew"],
  [0xfb50, 0xfdff, "Arabic"],
  [0xfe70, 0xfeff, "Arabic"],
  [0xff66, 0xff9f, "Kana"],
  [0x20000, 0x2fa1f, "Han"],
];

/** The script of one code point, or undefined for digits, punctuation, symbols, emoji and unlisted scripts. */
export function scriptOf(codePoint: number): Script | undefined {
  let lo = 0;
  let hi = BLOCKS.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const block = BLOCKS[mid] as readonly [number, number, Script];
    if (codePoint < block[0]) hi = mid - 1;
    else if (codePoint > block[1]) lo = mid + 1;
    else return block[2];
  }
  return undefined;
}

const LETTER = /\p{L}/u;

/**
 * Count letters per script. `letters` counts every letter (combining marks excluded: they belong to the letter
 * before them); letters of scripts outside the list count in `letters` but under no script.
 */
export function countScripts(text: string): { counts: Map<Script, number>; letters: number } {
  const counts = new Map<Script, number>();
  let letters = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const script = scriptOf(cp);
    if (script) {
      // Inside Latin/Greek/Cyrillic/Arabic blocks a few code points are punctuation or digits (×, ÷, ؟, ٣).
      if (cp > 0x7f && !LETTER.test(ch)) continue;
      counts.set(script, (counts.get(script) ?? 0) + 1);
      letters++;
    } else if (cp > 0x7f && LETTER.test(ch)) {
      letters++;
    }
  }
  return { counts, letters };
}
