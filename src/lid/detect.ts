/**
 * compass's language identifier. What carries no language (code, placeholders, options, paths, URLs, identifiers,
 * numbers, markup) is removed first; the script of the characters that carry language decides, or narrows the field
 * to the languages sharing it; there franc's trigram ranking restricted to those languages is combined with
 * function-word and orthography evidence. The confidence is calibrated (src/lid/calibration.ts). Chosen and tuned by
 * measurement: `npm run lid:compare` (docs/lid-comparison.md), `node scripts/lid-eval.mjs`.
 */
import { type LanguageCode, toCanonical, toFrancCode } from "../../adapters/languages";
import { CALIBRATION, calibrated, isIndonesianMalay } from "./calibration";
import { CATALOGUE_WORDS } from "./catalogue-words";
import { FREQUENT_WORDS, HINDI_OVER_NEPALI_TRIGRAMS } from "./frequent-words";
import { isJapaneseHan } from "./han";
import { HINDI_OVER_NEPALI_WORDS } from "./hindi-nepali";
import { EVIDENCE, type LanguageEvidence } from "./lexicon";
import { INDONESIAN_OVER_MALAY } from "./malay-indonesian";
import { type NgramTable, ngramScores, ngramTable } from "./ngram-model";
import { countScripts, type Script } from "./script";
import { stripNonLanguage } from "./text";
import { type TrigramPool, trigramPool, trigramScores } from "./trigrams";
import { UI_PAIRS, UI_WORDS, UI_WORDS_FIRST_RANK } from "./ui-words";

export interface Detection {
  /** Canonical code, or null when nothing was left to identify or no candidate fits. */
  language: LanguageCode | null;
  /** 0..1: the calibrated probability that `language` is right (docs/lid-calibration.md). */
  confidence: number;
  /** Runner-up, for diagnostics. */
  runnerUp: LanguageCode | null;
  /**
   * True when nothing in a language was left once code, placeholders, options, paths, URLs, e-mail addresses,
   * identifiers, numbers and markup were removed (`/v1/route` then says "nothing-to-identify"). Absent means false.
   */
  empty?: boolean;
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
 * Letters of a non-Latin script needed to outvote any number of Latin letters. Latin letters next to them are
 * identifiers, product names and borrowed terms far more often than they are the request's language.
 */
const MIN_LETTERS_OVER_LATIN = 2;

const WORD = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu;

/** Weights of the evidence sources; set on the evaluation set's dev split (django + CLDR patterns). */
const WEIGHT_FRANC = 1.5;
/**
 * franc's weight where another suits the script better. Devanagari: franc's Hindi and Nepali profiles are the UDHR's
 * formal register and both languages have word evidence of their own; at 2 franc read Hindi interface strings as
 * Nepali (Firefox's Hindi and Nepali strings of at most 40 characters, with the catalogue words below: 0.877 / 0.855
 * right at 2, 0.884 / 0.862 at 0.5).
 */
const WEIGHT_FRANC_BY_SCRIPT: Partial<Record<Script, number>> = { Devanagari: 0.5 };
const WEIGHT_WORDS = 4.0;
/** The letter n-gram model's mean log10 probability per n-gram, relative to the best language's. */
const WEIGHT_NGRAMS = 1.25;
/**
 * The words the n-gram model reads: its cost grows with the text (26 languages per n-gram) and by a sentence's
 * length franc's profiles and the word lists already agree.
 */
const NGRAM_WORDS = 16;
const WEIGHT_MARKER = 0.6;
/** A letter of the orthography, divided among the languages that use it (ř: Czech alone; ñ: three). */
const WEIGHT_LETTER = 1.2;
/** Any letter the orthography lacks. */
const WEIGHT_FOREIGN = 1.5;

/**
 * Indonesian over Malay: the text's log10 odds per word (malay-indonesian.ts), times this, moves the two apart. Set
 * on the dev split: 4 and 12 each lost one or more dev strings that 6 and 8 kept.
 */
const WEIGHT_PAIR = 6.0;
/**
 * The probability of each word of a hand list (lexicon.ts) for a language without a frequency list. The hand lists are
 * not in frequency order, so reading a word's place in one as its rank gave Nyanja "wa" (third in its list) eight
 * times Swahili's (33rd): "Utawala wa tovuti" read as Nyanja.
 */
const HAND_LIST_PROBABILITY = 1 / 30;

type SharedScript = keyof typeof EVIDENCE;

/**
 * A close pair's word odds (ui-words.ts, from Debian's interface text), times this, decide between the pair when its
 * two languages are the best two candidates.
 */
const WEIGHT_UI_PAIR = 2.0;

/** Hindi over Nepali: for the words neither list holds, the mean log10 ratio of their letter trigrams, times this. */
const WEIGHT_PAIR_TRIGRAMS = 1.0;
/**
 * Hindi over Nepali: each word's log10 frequency ratio in LibreOffice's two translations (hindi-nepali.ts), times
 * this. Set on the dev split and Firefox's Hindi and Nepali strings (0.860 / 0.840 right without, 0.877 / 0.855 at 3).
 */
const WEIGHT_PAIR_CATALOGUE = 3.0;

/** A generated "key:ratio key:ratio …" table (frequent-words.ts) as a map. */
function ratios(table: string): Map<string, number> {
  return new Map(
    table.split(" ").map((entry) => {
      const colon = entry.lastIndexOf(":");
      return [entry.slice(0, colon), Number(entry.slice(colon + 1))] as const;
    }),
  );
}

/** Each word's log10 odds of Indonesian over Malay (scripts/lid-build-malay-indonesian.py). */
const ID_OVER_MS = ratios(INDONESIAN_OVER_MALAY);
/** Close pairs [a, b, each word's log10 odds of a over b] (ui-words.ts). */
const CLOSE_PAIRS = Object.entries(UI_PAIRS).map(([pair, table]) => {
  const [a, b] = pair.split("-") as [LanguageCode, LanguageCode];
  return [a, b, ratios(table)] as const;
});
/** log10(Hindi / Nepali frequency) of the letter trigrams of their lists' words that differ at least twofold. */
const HI_OVER_NE = ratios(HINDI_OVER_NEPALI_TRIGRAMS);
/** log10(Hindi / Nepali frequency) of the words of LibreOffice's two translations that differ at least twofold. */
const HI_OVER_NE_WORDS = ratios(HINDI_OVER_NEPALI_WORDS);

/**
 * Per-script tables built once: for each language, its words with their probability under Zipf's law from their rank
 * (1 / rank) in the language's frequency list (frequent-words.ts, from wordfreq; catalogue-words.ts, from Debian's UI
 * translations, for the Latin-script languages and Kyrgyz that wordfreq lacks) or hand list (lexicon.ts), whichever
 * ranks a word higher; and for each letter beyond the script's core, the languages that write it. One flat map per
 * language, because start-up pays for building them: a map per word took three times as long for the 270,000 words.
 */
interface ScriptTables {
  words: Map<LanguageCode, Map<string, number>>;
  letterLanguages: Map<string, readonly LanguageCode[]>;
}

const TABLES = new Map<Script, ScriptTables>(
  (Object.keys(EVIDENCE) as SharedScript[]).map((script) => {
    const words = new Map<LanguageCode, Map<string, number>>();
    const note = (code: LanguageCode, list: readonly string[], ranked: boolean, firstRank = 0) => {
      const probabilities = words.get(code) ?? new Map<string, number>();
      for (let rank = list.length - 1; rank >= 0; rank--) {
        const word = list[rank] as string;
        const probability = ranked ? 1 / (firstRank + rank + 1) : HAND_LIST_PROBABILITY;
        probabilities.set(word, Math.max(probabilities.get(word) ?? 0, probability));
      }
      words.set(code, probabilities);
    };
    const letterLanguages = new Map<string, LanguageCode[]>();
    const frequencyLists = (FREQUENT_WORDS[script] ?? {}) as Partial<Record<LanguageCode, string>>;
    for (const [code, list] of Object.entries(frequencyLists) as [LanguageCode, string][])
      note(code, list.split(" "), true);
    for (const [code, list] of Object.entries(CATALOGUE_WORDS[script] ?? {}) as [LanguageCode, string][])
      note(code, list.split(" "), true);
    // Interface words wordfreq's lists lack, ranked after them (scripts/lid-build-ui-words.py).
    if (script === "Latin")
      for (const [code, list] of Object.entries(UI_WORDS) as [LanguageCode, string][])
        note(code, list.split(" "), true, UI_WORDS_FIRST_RANK);
    for (const [code, evidence] of Object.entries(EVIDENCE[script]) as [LanguageCode, LanguageEvidence][]) {
      // Beside a frequency list, a hand word keeps the rank its place gives it, as the weights were set with.
      note(code, evidence.words, code in frequencyLists);
      for (const letter of evidence.alphabet ?? "")
        letterLanguages.set(letter, [...(letterLanguages.get(letter) ?? []), code]);
    }
    return [script, { words, letterLanguages }] as const;
  }),
);

/** What a detection rests on, before calibration: the input of the confidence model (scripts/lid-calibrate.mjs). */
export interface DetectionEvidence {
  language: LanguageCode | null;
  runnerUp: LanguageCode | null;
  empty: boolean;
  /** Which calibration applies: decided by script alone, or among languages sharing a script. */
  fit: keyof typeof CALIBRATION;
  /** Letters of the deciding script ("script"), or words ("shared"). */
  count: number;
  /** Score margin between the best and second-best candidate (0 when the script decided). */
  margin: number;
}

const UNKNOWN: DetectionEvidence = { language: null, runnerUp: null, empty: false, fit: "script", count: 0, margin: 0 };
const NOTHING_LEFT: DetectionEvidence = { ...UNKNOWN, empty: true };

/**
 * Identify the language of `text` among compass's 42 languages, with a calibrated confidence.
 * @example detectLanguage("Mji mkuu wa Kenya ni upi?").language === "sw"
 * @example detectLanguage("运行 `docker compose up` 时报错 --verbose").language === "zh"
 */
export function detectLanguage(text: string, options: DetectOptions = {}): Detection {
  const evidence = detectionEvidence(text, options);
  const { language, runnerUp, empty } = evidence;
  const confidence = language
    ? calibrated(CALIBRATION[evidence.fit], evidence.count, evidence.margin, isIndonesianMalay(language, runnerUp))
    : 0;
  return { language, confidence, runnerUp, empty };
}

/** {@link detectLanguage}'s decision and the evidence its confidence is computed from. */
export function detectionEvidence(text: string, options: DetectOptions = {}): DetectionEvidence {
  const prose = stripNonLanguage(text);
  if (!prose) return NOTHING_LEFT;
  const normalized = prose.normalize("NFC").toLowerCase();
  const { counts } = countScripts(normalized);
  const allowed = options.candidates ? new Set(options.candidates) : undefined;

  const [script, scriptLetters] = languageScript(counts);
  if (!script) return NOTHING_LEFT;
  const byScript = (language: LanguageCode): DetectionEvidence =>
    allowed && !allowed.has(language)
      ? UNKNOWN
      : { language, runnerUp: null, empty: false, fit: "script", count: scriptLetters, margin: 0 };

  const single = script === "Han" ? (isJapaneseHan(normalized) ? "ja" : "zh") : SINGLE_SCRIPT[script];
  if (single) return byScript(single);

  const shared = SHARED_SCRIPT[script] ?? [];
  const pool = allowed ? shared.filter((code) => allowed.has(code)) : shared;
  if (pool.length === 0 || !pool[0]) return UNKNOWN;
  if (pool.length === 1) return byScript(pool[0]);

  const words = normalized.match(WORD) ?? [];
  const scores = scoreCandidates(normalized, words, script as SharedScript, pool);
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

interface FrancPool {
  /** franc code → the pool's code. */
  canonical: Map<string, LanguageCode>;
  trigrams: TrigramPool;
}

function francPool(script: SharedScript, pool: readonly LanguageCode[]): FrancPool {
  const canonical = new Map(pool.map((code) => [toFrancCode(code), code]));
  return { canonical, trigrams: trigramPool(script, [...canonical.keys()]) };
}

/** The trigram tables of each script's full candidate list, built once; candidate-restricted calls build their own. */
const FRANC_POOLS = new Map<readonly LanguageCode[], FrancPool>(
  (Object.entries(SHARED_SCRIPT) as [SharedScript, readonly LanguageCode[]][]).map(
    ([script, pool]) => [pool, francPool(script, pool)] as const,
  ),
);

/**
 * A language without a wordfreq list gets its letter n-gram model from its hand list and this many of its most
 * frequent catalogue words (each counted once): 300, 1,000 and 3,000 measured 0.894, 0.896 and 0.896 on the dev
 * split's short strings.
 */
const CATALOGUE_NGRAM_WORDS = 1000;

/** Each script's letter n-gram table over its candidate list (the scripts char-ngrams.ts covers), built once. */
const NGRAM_TABLES = new Map<Script, NgramTable>(
  (Object.entries(SHARED_SCRIPT) as [SharedScript, readonly LanguageCode[]][]).flatMap(([script, pool]) => {
    const catalogues = (CATALOGUE_WORDS[script] ?? {}) as Partial<Record<LanguageCode, string>>;
    const handLists = Object.fromEntries(
      Object.entries(EVIDENCE[script] ?? {}).map(([code, evidence]) => [
        code,
        [...evidence.words, ...(catalogues[code as LanguageCode]?.split(" ", CATALOGUE_NGRAM_WORDS) ?? [])],
      ]),
    ) as Partial<Record<LanguageCode, readonly string[]>>;
    const table = ngramTable(script, pool, handLists);
    return table ? [[script, table] as const] : [];
  }),
);

function scoreCandidates(
  text: string,
  words: readonly string[],
  script: SharedScript,
  pool: readonly LanguageCode[],
): Map<LanguageCode, number> {
  const scores = new Map<LanguageCode, number>(pool.map((code) => [code, 0]));
  const add = (code: LanguageCode, value: number) => scores.set(code, (scores.get(code) ?? 0) + value);

  // Trigrams (franc's profiles): relative distance, 1 for the closest, restricted to the pool.
  const franc = FRANC_POOLS.get(pool) ?? francPool(script, pool);
  const francWeight = WEIGHT_FRANC_BY_SCRIPT[script] ?? WEIGHT_FRANC;
  for (const [francCode, score] of trigramScores(text, franc.trigrams)) {
    const code = franc.canonical.get(francCode) ?? toCanonical(francCode);
    if (code && scores.has(code)) add(code, francWeight * score);
  }

  // Letter n-grams of everyday words (wordfreq): how the words are spelt, where franc's profiles are the UDHR's.
  const ngrams = NGRAM_TABLES.get(script);
  if (ngrams)
    for (const [code, score] of ngramScores(words.slice(0, NGRAM_WORDS), ngrams, pool))
      add(code, WEIGHT_NGRAMS * score);

  const tables = TABLES.get(script);
  if (!tables) return scores;
  const evidence = EVIDENCE[script];

  // Words: each known word's weight is shared among the pool's languages in proportion to how frequent it is in
  // each (Malay "boleh" goes almost wholly to Malay, "dan" half to Malay and half to Indonesian).
  const perWord = WEIGHT_WORDS / Math.max(words.length, 1);
  const tokens = words.flatMap((w) => (/['’-]/.test(w) ? [w, ...w.split(/['’-]/)] : [w]));
  const probabilities = pool.map((code) => tables.words.get(code));
  const shares = new Float64Array(pool.length);
  for (const token of tokens) {
    let total = 0;
    for (let k = 0; k < pool.length; k++) {
      const p = probabilities[k]?.get(token) ?? 0;
      shares[k] = p;
      total += p;
    }
    if (total === 0) continue;
    for (let k = 0; k < pool.length; k++) {
      const share = shares[k] ?? 0;
      if (share > 0) add(pool[k] as LanguageCode, (perWord * share) / total);
    }
  }
  if (scores.has("id") && scores.has("ms")) {
    let odds = 0;
    for (const token of tokens) odds += ID_OVER_MS.get(token) ?? 0;
    const apart = (WEIGHT_PAIR * odds) / (2 * Math.max(words.length, 1));
    add("id", apart);
    add("ms", -apart);
  }
  if (scores.has("hi") && scores.has("ne")) {
    const hindi = tables.words.get("hi");
    const nepali = tables.words.get("ne");
    let ratio = 0;
    let catalogue = 0;
    for (const token of tokens) {
      catalogue += HI_OVER_NE_WORDS.get(token) ?? 0;
      if (hindi?.has(token) || nepali?.has(token)) continue;
      const marked = `^${token}$`;
      for (let i = 0; i + 3 <= marked.length; i++) ratio += HI_OVER_NE.get(marked.slice(i, i + 3)) ?? 0;
    }
    const apart = (WEIGHT_PAIR_TRIGRAMS * ratio + WEIGHT_PAIR_CATALOGUE * catalogue) / (2 * Math.max(words.length, 1));
    add("hi", apart);
    add("ne", -apart);
  }
  for (const code of pool) if (evidence[code]?.markers?.test(text)) add(code, WEIGHT_MARKER);

  // Orthography: each distinct letter beyond the script's core speaks for the languages that write it and against
  // those that never do.
  const seen = new Set<string>();
  const lacking = new Set<LanguageCode>();
  for (const ch of text) {
    const users = tables.letterLanguages.get(ch);
    if (!users || seen.has(ch)) continue;
    seen.add(ch);
    for (const code of pool) {
      if (users.includes(code)) add(code, WEIGHT_LETTER / users.length);
      else lacking.add(code);
    }
  }
  for (const code of lacking) add(code, -WEIGHT_FOREIGN);
  separateClosePair(scores, tokens, words.length);
  return scores;
}

/**
 * When the two best candidates are a close pair of {@link CLOSE_PAIRS} (Spanish and Portuguese share most interface
 * words, and which of the two a general-text frequency list ranks higher says little; Hindi and Nepali spell loanwords
 * apart, "कैश" / "क्यास"), their word odds in interface text move them apart; the other candidates are left where they
 * are.
 */
function separateClosePair(scores: Map<LanguageCode, number>, tokens: readonly string[], words: number): void {
  let first: LanguageCode | undefined;
  let second: LanguageCode | undefined;
  for (const [code, score] of scores) {
    if (first === undefined || score > (scores.get(first) ?? 0)) {
      second = first;
      first = code;
    } else if (second === undefined || score > (scores.get(second) ?? 0)) second = code;
  }
  for (const [a, b, odds] of CLOSE_PAIRS) {
    if (!((first === a && second === b) || (first === b && second === a))) continue;
    let sum = 0;
    for (const token of tokens) sum += odds.get(token) ?? 0;
    const apart = (WEIGHT_UI_PAIR * sum) / (2 * Math.max(words, 1));
    scores.set(a, (scores.get(a) ?? 0) + apart);
    scores.set(b, (scores.get(b) ?? 0) - apart);
  }
}

function pickBest(scores: Map<LanguageCode, number>, words: number): DetectionEvidence {
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
  const margin = Number.isFinite(next) ? best - next : 0;
  return { language: first, runnerUp: second, empty: false, fit: "shared", count: words, margin };
}
