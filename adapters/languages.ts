/**
 * compass's one language-code scheme, and every mapping to and from other schemes.
 *
 * Canonical codes are ISO 639-1 as Global-MMLU names its 42 configs ("fil" for Filipino, which has no 639-1 code).
 * Manifests, reports, cluster models and response headers all use them. Detectors and datasets speak other schemes:
 * franc and Aya use ISO 639-3 individual languages (arb, pes, swh, npi, plt, zlm, cmn, tgl), the paper's tables use
 * 639-3 macrolanguages (ara, fas, swa, nep, mlg, msa, zho). Both map here and nowhere else.
 */

export const LANGUAGES = [
  "am",
  "ar",
  "bn",
  "cs",
  "de",
  "el",
  "en",
  "es",
  "fa",
  "fil",
  "fr",
  "ha",
  "he",
  "hi",
  "id",
  "ig",
  "it",
  "ja",
  "ko",
  "ky",
  "lt",
  "mg",
  "ms",
  "ne",
  "nl",
  "ny",
  "pl",
  "pt",
  "ro",
  "ru",
  "si",
  "sn",
  "so",
  "sr",
  "sv",
  "sw",
  "te",
  "tr",
  "uk",
  "vi",
  "yo",
  "zh",
] as const;

export type LanguageCode = (typeof LANGUAGES)[number];

/** ISO 639-3 code as the paper's tables write it (macrolanguage where one exists). */
const ISO639_3: Record<LanguageCode, string> = {
  am: "amh",
  ar: "ara",
  bn: "ben",
  cs: "ces",
  de: "deu",
  el: "ell",
  en: "eng",
  es: "spa",
  fa: "fas",
  fil: "fil",
  fr: "fra",
  ha: "hau",
  he: "heb",
  hi: "hin",
  id: "ind",
  ig: "ibo",
  it: "ita",
  ja: "jpn",
  ko: "kor",
  ky: "kir",
  lt: "lit",
  mg: "mlg",
  ms: "msa",
  ne: "nep",
  nl: "nld",
  ny: "nya",
  pl: "pol",
  pt: "por",
  ro: "ron",
  ru: "rus",
  si: "sin",
  sn: "sna",
  so: "som",
  sr: "srp",
  sv: "swe",
  sw: "swa",
  te: "tel",
  tr: "tur",
  uk: "ukr",
  vi: "vie",
  yo: "yor",
  zh: "zho",
};

/** The individual-language code franc's trigram profiles use, where it differs from {@link ISO639_3}. */
const FRANC: Partial<Record<LanguageCode, string>> = {
  ar: "arb",
  fa: "pes",
  fil: "tgl",
  mg: "plt",
  ms: "zlm",
  ne: "npi",
  sw: "swh",
  zh: "cmn",
};

/** Other spellings met in the wild (639-3 individual codes, 639-2/B, BCP-47 legacy tags). */
const ALIASES: Record<string, LanguageCode> = {
  arb: "ar",
  pes: "fa",
  prs: "fa",
  per: "fa",
  tgl: "fil",
  tl: "fil",
  plt: "mg",
  zlm: "ms",
  zsm: "ms",
  may: "ms",
  npi: "ne",
  swh: "sw",
  cmn: "zh",
  chi: "zh",
  iw: "he",
  cze: "cs",
  ger: "de",
  gre: "el",
  fre: "fr",
  dut: "nl",
  rum: "ro",
  mol: "ro",
  "zh-cn": "zh",
  "zh-hans": "zh",
  "zh-hant": "zh",
  "zh-tw": "zh",
  "pt-br": "pt",
  "pt-pt": "pt",
  "en-us": "en",
  "en-gb": "en",
  "es-419": "es",
};

const CANONICAL = new Set<string>(LANGUAGES);
const FROM_639_3 = new Map<string, LanguageCode>(
  LANGUAGES.flatMap((code) => [
    [ISO639_3[code], code] as [string, LanguageCode],
    [FRANC[code] ?? ISO639_3[code], code] as [string, LanguageCode],
  ]),
);

/** True when `code` is one of compass's canonical codes. */
export function isLanguageCode(code: string): code is LanguageCode {
  return CANONICAL.has(code);
}

/**
 * Map any known spelling (ISO 639-1/2/3, BCP-47 with region) to the canonical code, or `undefined`.
 * @example toCanonical("swh") === "sw"; toCanonical("pt-BR") === "pt"
 */
export function toCanonical(code: string): LanguageCode | undefined {
  const lower = code.trim().toLowerCase().replaceAll("_", "-");
  if (CANONICAL.has(lower)) return lower as LanguageCode;
  const alias = ALIASES[lower] ?? FROM_639_3.get(lower);
  if (alias) return alias;
  const primary = lower.split("-")[0] ?? "";
  return primary !== lower ? toCanonical(primary) : undefined;
}

/** ISO 639-3 as in the paper's tables (`ara`, `swa`, …). */
export function toIso6393(code: LanguageCode): string {
  return ISO639_3[code];
}

/** The code franc reports for this language. */
export function toFrancCode(code: LanguageCode): string {
  return FRANC[code] ?? ISO639_3[code];
}
