/**
 * Calibrated confidence: a logistic model of "the detected language is right", fitted by
 * `node scripts/lid-calibrate.mjs` on the dev split of test/fixtures/lid-eval-packages.json and checked on its held-out
 * split (docs/lid-calibration.md, docs/lid-reliability.svg). Two fits: languages decided by their script alone, whose
 * evidence is how many letters of the script there are, and languages decided among those sharing a script, whose
 * evidence is the score margin between the best and second-best candidate, the number of words, and whether the two
 * were Indonesian and Malay: that pair's decisions are right less often than their margins say (on the dev split,
 * 0.75 against a mean confidence of 0.87 before this term), since the two standard languages write most words alike.
 */

export interface LogisticFit {
  /** Intercept. */
  readonly bias: number;
  /** Weight of ln(1 + count): letters of the script, or words. */
  readonly count: number;
  /** Weight of the score margin between the best and second-best candidate (0 for script-decided languages). */
  readonly margin: number;
  /** Added when the best and second-best candidates are Indonesian and Malay (0 for script-decided languages). */
  readonly indonesianMalay: number;
}

/** Written by scripts/lid-calibrate.mjs; do not edit by hand. */
export const CALIBRATION: { readonly script: LogisticFit; readonly shared: LogisticFit } = {
  script: { bias: 3.1572, count: 4.7858, margin: 0, indonesianMalay: 0 },
  shared: { bias: -2.2812, count: 1.9568, margin: 1.2322, indonesianMalay: -0.9134 },
};

/**
 * The highest confidence reported. The held-out split's top bin (confidence 0.9–1) is right 99% of the time: no
 * detection is worth more certainty than that, and a threshold just above any reported value stays within [0, 1].
 */
export const MAX_CONFIDENCE = 0.995;

/**
 * P(right) under `fit` for `count` letters or words, the given margin, and whether the decision was between
 * Indonesian and Malay; at most {@link MAX_CONFIDENCE}.
 */
export function calibrated(fit: LogisticFit, count: number, margin: number, indonesianMalay: boolean): number {
  const logit =
    fit.bias + fit.count * Math.log1p(count) + fit.margin * margin + (indonesianMalay ? fit.indonesianMalay : 0);
  return Math.min(MAX_CONFIDENCE, 1 / (1 + Math.exp(-logit)));
}

/** Whether a decision was between Indonesian and Malay (in either order), the pair {@link LogisticFit} singles out. */
export function isIndonesianMalay(language: string | null, runnerUp: string | null): boolean {
  return (language === "id" && runnerUp === "ms") || (language === "ms" && runnerUp === "id");
}
