/**
 * Trigram evidence from franc's language profiles (franc 6.2's data: each language's 300 most frequent UDHR trigrams
 * in rank order), computed against tables built once per candidate pool instead of per call. franc itself, on every
 * call, runs one regular expression per script over the text, rebuilds the allowed-language object with an
 * `Array.includes` per language, and looks each trigram up in one dictionary object per language: under real traffic
 * (cold caches between requests) that came to 300–500 µs of a Latin-script request in workerd. Here the pool's
 * profiles are one Map from trigram to a row of ranks, so a text costs one lookup per distinct trigram; franc's own
 * script vote is not repeated, as detect.ts has already chosen the script and the pool.
 *
 * The distance is franc's out-of-place measure with two changes that make a text and the same text repeated score
 * alike (franc read "Mji mkuu wa Kenya ni upi?" as Swahili once and, twice, left word evidence alone to pick
 * Indonesian): a trigram's place in the text is its rank among the text's trigrams (how many occur more often; ties
 * share a rank), where franc uses its count; and the spread is divided by the text's distinct trigrams, where franc
 * divides by its length, which compressed every score towards 1 as the text grew. A text whose trigrams each occur
 * once gets franc's distances (rank 0 where franc's count 1 gives the same difference), so franc's order of languages.
 */
import { data } from "franc/data.js";

/** franc's penalty for a trigram the language's profile lacks, and its cap on the text it reads. */
const MAX_DIFFERENCE = 300;
const MAX_LENGTH = 2048;
const ABSENT = -1;

/** A pool of franc languages of one script: each trigram's rank in each language's profile (ABSENT if not in it). */
export interface TrigramPool {
  /** franc codes of the pool languages that franc has a profile for under this script, in franc's data order. */
  readonly codes: readonly string[];
  readonly ranks: ReadonlyMap<string, Int16Array>;
}

/**
 * Build the tables for `francCodes` under `script` (franc's script names: Latin, Cyrillic, Arabic, Devanagari…).
 * Codes franc has no profile for under that script are left out, as franc leaves them out.
 */
export function trigramPool(script: string, francCodes: readonly string[]): TrigramPool {
  const profiles = data[script] ?? {};
  const wanted = new Set(francCodes);
  const codes = Object.keys(profiles).filter((code) => wanted.has(code));
  const ranks = new Map<string, Int16Array>();
  codes.forEach((code, column) => {
    const model = (profiles[code] ?? "").split("|");
    for (let rank = 0; rank < model.length; rank++) {
      const trigram = model[rank] as string;
      let row = ranks.get(trigram);
      if (!row) {
        row = new Int16Array(codes.length).fill(ABSENT);
        ranks.set(trigram, row);
      }
      // franc's profile object keeps the first (lowest) rank of a trigram listed twice.
      if (row[column] === ABSENT) row[column] = rank;
    }
  });
  return { codes, ranks };
}

/** franc's text cleaning (trigram-utils `clean`): ASCII punctuation and digits to spaces, whitespace collapsed. */
function clean(text: string): string {
  return text
    .replace(/[\u0021-\u0040]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/**
 * `[francCode, score]` pairs for `text` restricted to the pool, best first: 1 for the closest, and
 * `1 - (distance - min) / (distinct trigrams × 300 - min)` for the others; `[["und", 1]]` for an empty text or pool.
 */
export function trigramScores(text: string, pool: TrigramPool): Array<[string, number]> {
  const value = text.slice(0, MAX_LENGTH);
  if (value.length === 0 || pool.codes.length === 0) return [["und", 1]];
  const padded = ` ${clean(value)} `;
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const trigram = padded.slice(i, i + 3);
    counts.set(trigram, (counts.get(trigram) ?? 0) + 1);
  }
  const counted = [...counts].sort((a, b) => b[1] - a[1]);
  const n = pool.codes.length;
  const distances = new Float64Array(n);
  let place = 0;
  for (let i = 0; i < counted.length; i++) {
    const [trigram, count] = counted[i] as [string, number];
    if (i > 0 && count !== (counted[i - 1] as [string, number])[1]) place = i;
    const row = pool.ranks.get(trigram);
    for (let k = 0; k < n; k++) {
      const rank = row ? (row[k] as number) : ABSENT;
      distances[k] = (distances[k] as number) + (rank === ABSENT ? MAX_DIFFERENCE : Math.abs(place - rank));
    }
  }
  const order = Array.from(pool.codes.keys()).sort((a, b) => (distances[a] as number) - (distances[b] as number));
  const min = distances[order[0] as number] as number;
  const span = counted.length * MAX_DIFFERENCE - min;
  return order.map((k) => [pool.codes[k] as string, 1 - ((distances[k] as number) - min) / span || 0]);
}
