/**
 * Japanese or Chinese, for text written in Han characters alone (kana already makes text Japanese). Each character
 * and each pair of adjacent characters adds how much more often Japanese writes it than Chinese does (log10, from
 * wordfreq's lists: src/lid/han-ratios.ts, scripts/lid-build-han.py): Japanese-only forms (駅, 図, 働) and words
 * (曜日, 週間) speak for Japanese, simplified forms and Chinese words (们, 这, 語言) for Chinese, and characters
 * both write alike (中, 文, 表) for little or nothing.
 */
import { JAPANESE_OVER_CHINESE_CHARS, JAPANESE_OVER_CHINESE_PAIRS } from "./han-ratios";

/**
 * The sum of log-ratios above which Han-only text is Japanese. Above 0 because the two are not equally likely when
 * nothing tells them apart: Chinese writes far more text in Han alone (Japanese mostly mixes in kana). Set on the dev
 * split and on Firefox's Japanese and Chinese (simplified, traditional) interface strings written in Han alone: at 1,
 * 99.8% of the simplified and 99.1% of the traditional Chinese ones stay Chinese and 54% of the Japanese ones are
 * read as Japanese (22% with the hand list of Japanese-only kanji this replaced).
 */
const JAPANESE_THRESHOLD = 1.0;

/** A generated "ratio:keys ratio:keys …" table, keys `width` UTF-16 units each, as a map. */
function grouped(table: string, width: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const group of table.split(" ")) {
    const colon = group.indexOf(":");
    const ratio = Number(group.slice(0, colon));
    for (let i = colon + 1; i + width <= group.length; i += width) out.set(group.slice(i, i + width), ratio);
  }
  return out;
}

const CHARS = grouped(JAPANESE_OVER_CHINESE_CHARS, 1);
const PAIRS = grouped(JAPANESE_OVER_CHINESE_PAIRS, 2);

const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;

/** The summed log10 Japanese/Chinese ratio of the text's Han characters and of the pairs inside its Han runs. */
export function japaneseOverChinese(text: string): number {
  let sum = 0;
  for (const [run] of text.matchAll(HAN_RUN)) {
    for (let i = 0; i < run.length; i++) {
      sum += CHARS.get(run[i] as string) ?? 0;
      if (i + 1 < run.length) sum += PAIRS.get(run.slice(i, i + 2)) ?? 0;
    }
  }
  return sum;
}

/** Whether text written in Han alone is Japanese rather than Chinese. */
export function isJapaneseHan(text: string): boolean {
  return japaneseOverChinese(text) > JAPANESE_THRESHOLD;
}
