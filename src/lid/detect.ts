/**
 * compass's language identifier: script rules, then franc's trigram ranking restricted to the languages that share
 * the script, combined with function-word and orthography evidence. Chosen by measurement against franc, eld,
 * tinyld and cld3 (docs/lid-comparison.md, `npm run lid:compare`).
 */
import { francAll } from "franc";
import { type LanguageCode, toCanonical, toFrancCode } from "../../adapters/languages";
import { EVIDENCE } from "./lexicon";
import { countScripts, type Script } from "./script";

export interface Detection {
  /** Canonical code, or null when the text holds no letters or no candidate fits. */
  language: LanguageCode | null;
  /** 0..1: the winner's share of the evidence. */
  confidence: number;
  /** Runner-up, for diagnostics. */
  runnerUp: LanguageCode | null;
}

export interface DetectOptions {
  /**
   * Restrict answers to these languages (e.g. the manifest's languages). Languages outside the list are never
   * returned; when the text's script admits none of them the result is unknown.
   */
  candidates?: readonly LanguageCode[];
}

/** Languages decided by script alone within the 42 (the only member of the set written in it). */
const SINGLE_SCRIPT: Partial<Record<Script, LanguageCode>> = {
  Hangul: "ko",
  Ethiopic: "am",
  Greek: "el",
  Hebrew: "he",
  Bengali: "bn",
  Telugu: "te",
  Sinhala: "si",
  Kana: "ja",
};

const SHARED_SCRIPT: Partial<Record<Script, readonly LanguageCode[]>> = {
  Latin: [
    "en",
    "de",
    "es",
    "fr",
    "it",
    "pt",
    "nl",
    "sv",
    "pl",
    "cs",
    "ro",
    "lt",
    "tr",
    "id",
    "ms",
    "fil",
    "vi",
    "sw",
    "ha",
    "yo",
    "ig",
    "so",
    "sn",
    "ny",
    "mg",
  ],
  Cyrillic: ["ru", "uk", "sr", "ky"],
  Arabic: ["ar", "fa"],
  Devanagari: ["hi", "ne"],
};

const WORD = /[\p{L}\p{M}]+(?:-[\p{L}\p{M}]+)*/gu;

/** Weights of the three evidence sources; set on the evaluation set's query half and left alone since. */
const WEIGHT_FRANC = 1.0;
const WEIGHT_WORDS = 4.0;
const WEIGHT_MARKER = 0.6;
const WEIGHT_FOREIGN = 1.5;
/** Softmax temperature turning combined scores into a confidence. */
const SHARPNESS = 4.0;

/** For each word, how many languages list it: shared words (Indonesian/Malay "dan") count for less. */
const WORD_LANGUAGES = new Map<string, number>();
for (const evidence of Object.values(EVIDENCE)) {
  for (const word of new Set(evidence.words)) WORD_LANGUAGES.set(word, (WORD_LANGUAGES.get(word) ?? 0) + 1);
}
const WORD_SETS = new Map<LanguageCode, ReadonlySet<string>>(
  (Object.entries(EVIDENCE) as [LanguageCode, { words: readonly string[] }][]).map(([code, e]) => [
    code,
    new Set(e.words),
  ]),
);

/**
 * Identify the language of `text` among compass's 42 languages.
 * @example detectLanguage("Mji mkuu wa Kenya ni upi?").language === "sw"
 */
export function detectLanguage(text: string, options: DetectOptions = {}): Detection {
  const normalized = text.normalize("NFC").toLowerCase();
  const { counts, letters } = countScripts(normalized);
  if (letters === 0) return { language: null, confidence: 0, runnerUp: null };
  const allowed = options.candidates ? new Set(options.candidates) : undefined;

  // Han with any kana is Japanese; Han alone is Chinese.
  const kana = counts.get("Kana") ?? 0;
  const han = counts.get("Han") ?? 0;
  if (kana > 0 && han > 0) counts.set("Kana", kana + han);
  else if (han > 0) counts.set("Han", han);
  if (kana > 0) counts.delete("Han");

  const [script, scriptLetters] = dominant(counts);
  if (!script) return { language: null, confidence: 0, runnerUp: null };
  const scriptShare = scriptLetters / letters;

  const single = script === "Han" ? "zh" : SINGLE_SCRIPT[script];
  if (single) {
    const ok = !allowed || allowed.has(single);
    return { language: ok ? single : null, confidence: ok ? scriptShare : 0, runnerUp: null };
  }

  const shared = SHARED_SCRIPT[script] ?? [];
  const pool = allowed ? shared.filter((code) => allowed.has(code)) : shared;
  if (pool.length === 0) return { language: null, confidence: 0, runnerUp: null };
  if (pool.length === 1) return { language: pool[0] ?? null, confidence: scriptShare, runnerUp: null };

  const scores = scoreCandidates(normalized, pool);
  return pickBest(scores, scriptShare);
}

function dominant(counts: Map<Script, number>): [Script | undefined, number] {
  let best: Script | undefined;
  let bestCount = 0;
  for (const [script, count] of counts) {
    if (count > bestCount) {
      best = script;
      bestCount = count;
    }
  }
  return [best, bestCount];
}

interface FrancPool extends Map<string, LanguageCode> {
  only: string[];
}

function francPool(pool: readonly LanguageCode[]): FrancPool {
  const map = new Map(pool.map((code) => [toFrancCode(code), code])) as FrancPool;
  map.only = [...map.keys()];
  return map;
}

/** franc's codes for each script's full candidate list, built once; only candidate-restricted calls build their own. */
const FRANC_POOLS = new Map<readonly LanguageCode[], FrancPool>(
  Object.values(SHARED_SCRIPT).map((pool) => [pool, francPool(pool)] as const),
);

function scoreCandidates(text: string, pool: readonly LanguageCode[]): Map<LanguageCode, number> {
  const scores = new Map<LanguageCode, number>(pool.map((code) => [code, 0]));

  // franc: relative trigram distance, 1 for its best guess, restricted to the pool.
  const francToCanonical = FRANC_POOLS.get(pool) ?? francPool(pool);
  for (const [francCode, score] of francAll(text, { only: francToCanonical.only, minLength: 1 })) {
    const code = francToCanonical.get(francCode) ?? toCanonical(francCode);
    if (code && scores.has(code)) scores.set(code, (scores.get(code) ?? 0) + WEIGHT_FRANC * score);
  }

  const words = text.match(WORD) ?? [];
  const tokens = words.flatMap((w) => [w, ...w.split("-")]).flatMap((w) => (w.includes("'") ? w.split("'") : [w]));
  for (const code of pool) {
    const evidence = EVIDENCE[code];
    if (!evidence) continue;
    let hits = 0;
    const set = WORD_SETS.get(code);
    for (const token of tokens) if (set?.has(token)) hits += 1 / (WORD_LANGUAGES.get(token) ?? 1);
    let score = (scores.get(code) ?? 0) + (WEIGHT_WORDS * hits) / Math.max(words.length, 1);
    if (evidence.markers?.test(text)) score += WEIGHT_MARKER;
    if (evidence.foreign?.test(text)) score -= WEIGHT_FOREIGN;
    scores.set(code, score);
  }
  return scores;
}

function pickBest(scores: Map<LanguageCode, number>, scriptShare: number): Detection {
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first) return { language: null, confidence: 0, runnerUp: null };
  let total = 0;
  for (const [, s] of ranked) total += Math.exp(SHARPNESS * (s - first[1]));
  return { language: first[0], confidence: scriptShare / total, runnerUp: second?.[0] ?? null };
}
