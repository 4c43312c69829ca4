/**
 * compass's language identifier. What carries no language (code, placeholders, options, paths, URLs, identifiers,
 * numbers, markup) is removed first; the script of the characters that carry language decides, or narrows the field
 * to the languages sharing it; there franc's trigram ranking restricted to those languages is combined with
 * function-word and orthography evidence. The confidence is calibrated (src/lid/calibration.ts). Chosen and tuned by
 * measurement: `npm run lid:compare` (docs/lid-comparison.md), `node scripts/lid-eval.mjs`.
 */
import { francAll } from "franc";
import { CALIBRATION, calibrated } from "./calibration";
import { type LanguageCode, toCanonical, toFrancCode } from "./codes";
import { EVIDENCE } from "./lexicon";
import { countScripts, type Script } from "./script";
import { stripNonLanguage } from "./text";

export interface Detection {
  /** Canonical code, or null when nothing was left to identify or no candidate fits. */
  language: LanguageCode | null;
  /** 0..1: the calibrated probability that `language` is right (docs/lid-calibration.md). */
  confidence: number;
  /** Runner-up, for diagnostics. */
  runnerUp: LanguageCode | null;
  /**
   * True when nothing in a language was left once code, placeholders, options, paths, URLs, e-mail addresses,
   * identifiers, numbers and markup were removed (`/v1/route` then says "nothing-to-identify").
   */
  empty: boolean;
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
    "sr", // Serbian is written in both alphabets; franc's "srp" profile covers its Latin form too
  ],
  Cyrillic: ["ru", "uk", "sr", "ky"],
  Arabic: ["ar", "fa"],
  Devanagari: ["hi", "ne"],
};

/**
 * Kanji whose Japanese form (shinjitai, or a character made in Japan) is neither the simplified nor the traditional
 * Chinese one, and the word 曜日 (day of the week): Han-only text holding one of them is Japanese.
 */
const JAPANESE_HAN =
  /[駅図広気楽発変関検険歳売読続総実値効労対応戦単拡択県権薬鉄転辺釈円歩毎覧専伝団弾様隠銭満両悪帰芸剤済経軽験縦聴脳覚観訳証豊齢挙徳黒鉱営栄桜稲穏継蔵譲賛恵悩揺塩壊懐拝沢浜処乗仮価剣勧巻圏戻拠暦歴焼畳猟獣粋絵縁緑蛍鶏姉雑払囲圧渋説鋭閲込働畑峠枠匂]|曜日/u;

/**
 * Letters of a non-Latin script needed to outvote any number of Latin letters. Latin letters next to them are
 * identifiers, product names and borrowed terms far more often than they are the request's language.
 */
const MIN_LETTERS_OVER_LATIN = 2;

const WORD = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu;

/** Weights of the evidence sources; set on the evaluation set's dev split (django + CLDR patterns). */
const WEIGHT_FRANC = 1.0;
const WEIGHT_WORDS = 4.0;
const WEIGHT_MARKER = 0.6;
const WEIGHT_FOREIGN = 1.5;

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

const UNKNOWN: Detection = { language: null, confidence: 0, runnerUp: null, empty: false };
const NOTHING_LEFT: Detection = { language: null, confidence: 0, runnerUp: null, empty: true };

/**
 * Identify the language of `text` among compass's 42 languages.
 * @example detectLanguage("Mji mkuu wa Kenya ni upi?").language === "sw"
 * @example detectLanguage("运行 `docker compose up` 时报错 --verbose").language === "zh"
 */
export function detectLanguage(text: string, options: DetectOptions = {}): Detection {
  const prose = stripNonLanguage(text);
  if (!prose) return NOTHING_LEFT;
  const normalized = prose.normalize("NFC").toLowerCase();
  const { counts } = countScripts(normalized);
  const allowed = options.candidates ? new Set(options.candidates) : undefined;

  const [script, scriptLetters] = languageScript(counts);
  if (!script) return NOTHING_LEFT;

  const single = script === "Han" ? (JAPANESE_HAN.test(normalized) ? "ja" : "zh") : SINGLE_SCRIPT[script];
  if (single) {
    if (allowed && !allowed.has(single)) return UNKNOWN;
    return { language: single, confidence: calibrated(CALIBRATION.script, scriptLetters, 0), runnerUp: null, empty: false };
  }

  const shared = SHARED_SCRIPT[script] ?? [];
  const pool = allowed ? shared.filter((code) => allowed.has(code)) : shared;
  if (pool.length === 0) return UNKNOWN;
  if (pool.length === 1)
    return {
      language: pool[0] ?? null,
      confidence: calibrated(CALIBRATION.script, scriptLetters, 0),
      runnerUp: null,
      empty: false,
    };

  const words = normalized.match(WORD) ?? [];
  const scores = scoreCandidates(normalized, words, pool);
  return pickBest(scores, words.length);
}

/**
 * The script that carries the text's language, and its letter count: kana makes it Japanese and Hangul Korean
 * whatever else is there; then Han; then the non-Latin script with most letters if it has at least
 * {@link MIN_LETTERS_OVER_LATIN}; Latin only when nothing else does.
 */
function languageScript(counts: Map<Script, number>): [Script | undefined, number] {
  const han = counts.get("Han") ?? 0;
  const kana = counts.get("Kana") ?? 0;
  const hangul = counts.get("Hangul") ?? 0;
  if (kana > 0 && kana + han >= 2) return ["Kana", kana + han];
  if (hangul > 0 && hangul >= kana) return ["Hangul", hangul + han];
  if (han > 0) return ["Han", han];
  let best: Script | undefined;
  let bestCount = 0;
  for (const [script, count] of counts) {
    if (script !== "Latin" && count > bestCount) {
      best = script;
      bestCount = count;
    }
  }
  const latin = counts.get("Latin") ?? 0;
  if (best && (bestCount >= MIN_LETTERS_OVER_LATIN || latin === 0)) return [best, bestCount];
  return latin > 0 ? ["Latin", latin] : [undefined, 0];
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

function scoreCandidates(
  text: string,
  words: readonly string[],
  pool: readonly LanguageCode[],
): Map<LanguageCode, number> {
  const scores = new Map<LanguageCode, number>(pool.map((code) => [code, 0]));

  // franc: relative trigram distance, 1 for its best guess, restricted to the pool.
  const francToCanonical = FRANC_POOLS.get(pool) ?? francPool(pool);
  for (const [francCode, score] of francAll(text, { only: francToCanonical.only, minLength: 1 })) {
    const code = francToCanonical.get(francCode) ?? toCanonical(francCode);
    if (code && scores.has(code)) scores.set(code, (scores.get(code) ?? 0) + WEIGHT_FRANC * score);
  }

  const tokens = words.flatMap((w) => (/['’-]/.test(w) ? [w, ...w.split(/['’-]/)] : [w]));
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

function pickBest(scores: Map<LanguageCode, number>, words: number): Detection {
  let first: LanguageCode | null = null;
  let second: LanguageCode | null = null;
  let best = Number.NEGATIVE_INFINITY;
  let next = Number.NEGATIVE_INFINITY;
  for (const [code, score] of scores) {
    if (score > best) {
      second = first;
      next = best;
      first = code;
      best = score;
    } else if (score > next) {
      second = code;
      next = score;
    }
  }
  if (!first) return UNKNOWN;
  const margin = Number.isFinite(next) ? best - next : best;
  return {
    language: first,
    confidence: calibrated(CALIBRATION.shared, words, margin),
    runnerUp: second,
    empty: false,
  };
}
