/**
 * A naive-Bayes model of how each language spells its words, as CLD and langid.py score text: the log-probability of
 * the text's letter 1- to 4-grams (over "_word_", so a word's first and last letters count as such) under each
 * language. The probabilities come from wordfreq's word lists weighted by word frequency (char-ngrams.ts, generated
 * by scripts/lid-build-wordlists.py), everyday text where franc's trigram profiles are the UDHR's; a language wordfreq
 * lacks (Swahili, Hausa, Yoruba, Igbo, Somali, Shona, Nyanja, Malagasy, Kyrgyz) gets a model of its hand list
 * (lexicon.ts) and, where it has one, the head of its catalogue word list (catalogue-words.ts), each word counted
 * once. One table per script: a Map from n-gram to a row of log10 probabilities in tenths (Int8Array, one column per
 * language), so a text costs one lookup per distinct n-gram.
 */
import type { LanguageCode } from "../../adapters/languages";
import { BOUNDARY, CHAR_NGRAMS, NGRAM_ORDERS } from "./char-ngrams";

/** The most n-grams kept of a hand-list model, as the generated models keep theirs. */
const NGRAMS_PER_LANGUAGE = 5000;
/**
 * A hand-list model's floor: half the probability of its rarest n-gram of the order (one occurrence). It sits about a
 * log10 unit above a wordfreq model's floor, so on words that neither kind of model spells (Polish "ustawienia") the
 * hand-list languages score best; the evidence beside it in detect.ts outweighs that. Giving them the wordfreq
 * models' lowest floor instead measured 0.885 on the dev split's short strings against this 0.886.
 */
const HAND_LIST_FLOOR_FACTOR = 0.5;
const MAX_ORDER = NGRAM_ORDERS[NGRAM_ORDERS.length - 1] as number;

export interface NgramTable {
  /** The languages of the table's columns. */
  readonly codes: readonly LanguageCode[];
  /** n-gram → each column's log10 probability in tenths; a language lacking the n-gram holds its order's floor. */
  readonly rows: ReadonlyMap<string, Int8Array>;
  /** floors[order][column]: the log10 probability in tenths of an n-gram of that order the language lacks. */
  readonly floors: readonly Int8Array[];
}

interface LanguageModel {
  floors: readonly number[];
  ngrams: [string, number][];
}

function generatedModel(ngrams: string): [string, number][] {
  return ngrams.split(" ").map((entry) => {
    const colon = entry.lastIndexOf(":");
    return [entry.slice(0, colon), Number(entry.slice(colon + 1))];
  });
}

/** The n-grams of a hand list's words, each word counted once, as the generator counts wordfreq's. */
function handListModel(words: readonly string[]): LanguageModel {
  const counts = new Map<string, number>();
  for (const word of words) forEachNgram(word, (gram) => counts.set(gram, (counts.get(gram) ?? 0) + 1));
  const totals = new Float64Array(MAX_ORDER + 1);
  for (const [gram, count] of counts) totals[gram.length] = (totals[gram.length] ?? 0) + count;
  const tenths = (count: number, order: number) => Math.round(10 * Math.log10(count / (totals[order] || 1)));
  const kept = [...counts].sort((a, b) => b[1] - a[1]).slice(0, NGRAMS_PER_LANGUAGE);
  return {
    floors: NGRAM_ORDERS.map((order) => tenths(HAND_LIST_FLOOR_FACTOR, order)),
    ngrams: kept.map(([gram, count]) => [gram, tenths(count, gram.length)]),
  };
}

/** Call `visit` with each n-gram of `word` between boundary marks (the lone mark excluded), orders 1 to 4. */
function forEachNgram(word: string, visit: (gram: string) => void): void {
  const marked = `${BOUNDARY}${word}${BOUNDARY}`;
  for (const order of NGRAM_ORDERS)
    for (let i = 0; i + order <= marked.length; i++) {
      const gram = marked.slice(i, i + order);
      if (gram !== BOUNDARY) visit(gram);
    }
}

/**
 * The table of one script's languages: the generated model where char-ngrams.ts has one, else one of the hand list in
 * `handLists`. Languages with neither are left out.
 */
export function ngramTable(
  script: string,
  codes: readonly LanguageCode[],
  handLists: Partial<Record<LanguageCode, readonly string[]>>,
): NgramTable | undefined {
  const generated = CHAR_NGRAMS[script];
  if (!generated) return undefined;
  const models: [LanguageCode, LanguageModel][] = [];
  for (const code of codes) {
    const own = generated[code];
    const hand = handLists[code];
    if (own) models.push([code, { floors: own.floors, ngrams: generatedModel(own.ngrams) }]);
    else if (hand) models.push([code, handListModel(hand)]);
  }
  const floors = NGRAM_ORDERS.map((_, k) => Int8Array.from(models, ([, model]) => model.floors[k] ?? 0));
  const rows = new Map<string, Int8Array>();
  models.forEach(([, model], column) => {
    for (const [gram, tenths] of model.ngrams) {
      let row = rows.get(gram);
      if (!row) {
        row = Int8Array.from(floors[gram.length - 1] as Int8Array);
        rows.set(gram, row);
      }
      row[column] = tenths;
    }
  });
  return { codes: models.map(([code]) => code), rows, floors };
}

/** The table's column of each pool language (-1 where it has none), kept per pool list as detect.ts reuses them. */
const COLUMNS = new WeakMap<NgramTable, WeakMap<readonly LanguageCode[], Int32Array>>();

function columnsOf(table: NgramTable, pool: readonly LanguageCode[]): Int32Array {
  let byPool = COLUMNS.get(table);
  if (!byPool) {
    byPool = new WeakMap();
    COLUMNS.set(table, byPool);
  }
  let columns = byPool.get(pool);
  if (!columns) {
    columns = Int32Array.from(pool, (code) => table.codes.indexOf(code));
    byPool.set(pool, columns);
  }
  return columns;
}

/**
 * Each pool language's mean log10 probability per n-gram of `words`, less the best language's (0 for the best,
 * negative for the others). Pool languages outside the table are left out.
 */
export function ngramScores(
  words: readonly string[],
  table: NgramTable,
  pool: readonly LanguageCode[],
): Map<LanguageCode, number> {
  const columns = columnsOf(table, pool);
  // Sums over every column of the table (one pass over each row, no indirection), read for the pool's columns below.
  const width = table.codes.length;
  const sums = new Int32Array(width);
  let total = 0;
  for (const word of words) {
    const marked = `${BOUNDARY}${word}${BOUNDARY}`;
    for (const order of NGRAM_ORDERS)
      for (let i = 0; i + order <= marked.length; i++) {
        const gram = marked.slice(i, i + order);
        if (gram === BOUNDARY) continue;
        const row = table.rows.get(gram) ?? (table.floors[order - 1] as Int8Array);
        for (let c = 0; c < width; c++) sums[c] = (sums[c] as number) + (row[c] as number);
        total++;
      }
  }
  const scores = new Map<LanguageCode, number>();
  if (total === 0) return scores;
  let best = Number.NEGATIVE_INFINITY;
  for (const column of columns) if (column >= 0) best = Math.max(best, sums[column] as number);
  columns.forEach((column, k) => {
    if (column >= 0) scores.set(pool[k] as LanguageCode, ((sums[column] as number) - best) / (10 * total));
  });
  return scores;
}
