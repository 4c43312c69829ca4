/**
 * Trigram evidence from franc's language profiles (franc/data.js: each language's 300 most frequent trigrams of the
 * UDHR, in rank order), scored as franc scores them but normalised by the number of distinct trigrams in the text
 * rather than by its length. franc divides by the length, so a text repeated k times compresses every language's
 * score towards 1 and leaves word evidence alone to decide: "Mji mkuu wa Kenya ni upi?" twice read as Indonesian.
 */
import { data } from "franc/data.js";
import { type LanguageCode, toFrancCode } from "../../adapters/languages";

/** The distance a trigram adds when a profile lacks it (franc's MAX_DIFFERENCE). */
const ABSENT = 300;

/** Each script's profiles as trigram → rank maps, built on first use for the languages compass identifies. */
const PROFILES = new Map<string, Map<LanguageCode, Map<string, number> | null>>();

function profile(script: string, code: LanguageCode): Map<string, number> | null {
  let byLanguage = PROFILES.get(script);
  if (!byLanguage) {
    byLanguage = new Map();
    PROFILES.set(script, byLanguage);
  }
  let model = byLanguage.get(code);
  if (model === undefined) {
    const source = data[script]?.[toFrancCode(code)];
    model = source ? new Map(source.split("|").map((trigram, rank) => [trigram, rank] as const)) : null;
    byLanguage.set(code, model);
  }
  return model;
}

/** The text's trigrams and their counts, cleaned as franc cleans it (ASCII punctuation and digits are spaces). */
function countTrigrams(text: string): Map<string, number> {
  const cleaned = ` ${text
    .replace(/[\u0021-\u0040]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase()} `;
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= cleaned.length; i++) {
    const trigram = cleaned.slice(i, i + 3);
    counts.set(trigram, (counts.get(trigram) ?? 0) + 1);
  }
  return counts;
}

/**
 * For each language of `pool` that has a profile in `script`: 1 for the closest, less for the others by their extra
 * distance over the most the distance of the text's distinct trigrams could exceed the closest's (all absent), so that
 * a text and the same text repeated score alike. Each trigram's distance compares its rank among the text's trigrams (how many are
 * more frequent; ties share a rank, so in a short text where each occurs once it is the profile rank alone, as in
 * franc) with its rank in the profile: Cavnar and Trenkle's out-of-place measure, which repetition does not change.
 */
export function trigramScores(text: string, script: string, pool: readonly LanguageCode[]): Map<LanguageCode, number> {
  const counted = [...countTrigrams(text)].sort((a, b) => b[1] - a[1]);
  const ranks = new Array<number>(counted.length);
  for (let i = 0; i < counted.length; i++)
    ranks[i] = i > 0 && counted[i]?.[1] === counted[i - 1]?.[1] ? (ranks[i - 1] as number) : i;
  const distances: [LanguageCode, number][] = [];
  for (const code of pool) {
    const model = profile(script, code);
    if (!model) continue;
    let distance = 0;
    for (let i = 0; i < counted.length; i++) {
      const at = model.get((counted[i] as [string, number])[0]);
      distance += at === undefined ? ABSENT : Math.abs((ranks[i] as number) - at);
    }
    distances.push([code, distance]);
  }
  const scores = new Map<LanguageCode, number>();
  if (distances.length === 0) return scores;
  const min = Math.min(...distances.map(([, d]) => d));
  const span = counted.length * ABSENT - min;
  for (const [code, distance] of distances) scores.set(code, span > 0 ? 1 - (distance - min) / span : 1);
  return scores;
}
