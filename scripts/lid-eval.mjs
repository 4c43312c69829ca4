// Score compass's detector on the packaged evaluation set (test/fixtures/lid-eval-packages.json): macro accuracy per
// split (dev / held-out test) and kind (short / long / mixed), the languages below 0.85, and with --misses the dev
// split's errors (the held-out split's errors are never printed: only its figures are looked at).
// --table prints each language's short-string accuracy on both splits; --dev scores the dev split alone (the held-out
// split is then not scored at all). An answer is right when it is the string's language or one the item's `also`
// names (another language whose same source writes the string identically); each macro is followed by the figure
// that takes the item's own language alone.
// --set chromium scores the second held-out set instead (test/fixtures/lid-eval-chromium.json, Chromium's interface
// strings, 32 languages; scripts/lid-build-chromium-eval.py): macro accuracy and each language's, never its strings.
// --set firefox scores the validation set of Firefox's interface strings (scripts/lid-build-firefox-validation.py;
// --file names another file of the same shape): macro accuracy and each language's, and with --misses its errors
// (validation data, read to find failure classes).
// Usage: node scripts/lid-eval.mjs [--misses] [--table] [--dev] [--lang xx] [--set chromium|firefox [--file f.json]]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { importTs, root } from "./import-ts.mjs";

const { detectLanguage, LANGUAGES } = await importTs(
  `export { detectLanguage } from "./src/lid/detect.ts"; export { LANGUAGES } from "./adapters/languages.ts";`,
);
const argument = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : null);
const only = argument("--lang");
const set = argument("--set");
if (set === "chromium" || set === "firefox") {
  const file =
    argument("--file") ??
    (set === "chromium" ? "test/fixtures/lid-eval-chromium.json" : ".cache/lid-firefox/validation.json");
  // A relative --file is read from the repository's root, an absolute one as it is.
  const items = JSON.parse(readFileSync(resolve(root, file), "utf8")).items;
  const misses = [];
  const perLanguage = LANGUAGES.filter((lang) => items.some((item) => item.lang === lang)).map((lang) => {
    const own = items.filter((item) => item.lang === lang);
    let right = 0;
    for (const item of own) {
      const got = detectLanguage(item.text).language;
      if (got === lang) right++;
      else if (!only || only === lang) misses.push(`${lang} -> ${got} ${item.text}`);
    }
    return [lang, right / own.length];
  });
  const macro = perLanguage.reduce((sum, [, accuracy]) => sum + accuracy, 0) / perLanguage.length;
  console.log(`${set} short ${macro.toFixed(3)} (${perLanguage.length} langs, ${items.length} strings)`);
  console.log(perLanguage.map(([lang, accuracy]) => `${lang} ${accuracy.toFixed(2)}`).join(", "));
  // The Chromium set is held out: its strings are never printed.
  if (set === "firefox" && process.argv.includes("--misses")) for (const miss of misses) console.log(miss);
  process.exit(0);
}

const items = JSON.parse(readFileSync(join(root, "test/fixtures/lid-eval-packages.json"), "utf8")).items;

const devOnly = process.argv.includes("--dev");
/** Whether `got` is a right answer for the item: its language, or one that writes the string identically. */
const isRight = (item, got) => got === item.lang || (item.also ?? []).includes(got);

const tally = new Map();
const misses = [];
for (const item of items) {
  if (devOnly && item.split !== "dev") continue;
  const got = detectLanguage(item.text).language;
  for (const key of [`${item.split}/${item.kind}/${item.lang}`, `all/${item.kind}/${item.lang}`]) {
    const t = tally.get(key) ?? { ok: 0, exact: 0, n: 0 };
    t.n++;
    if (isRight(item, got)) t.ok++;
    if (got === item.lang) t.exact++;
    tally.set(key, t);
  }
  if (!isRight(item, got) && item.split === "dev" && (!only || only === item.lang))
    misses.push(`${item.lang} -> ${got} [${item.kind} ${item.source}] ${item.text}`);
}
for (const split of devOnly ? ["dev"] : ["dev", "test", "all"]) {
  const line = [];
  for (const kind of ["short", "long", "mixed"]) {
    const accs = LANGUAGES.map((l) => tally.get(`${split}/${kind}/${l}`))
      .filter(Boolean)
      .map((t) => t.ok / t.n);
    const macro = accs.reduce((a, b) => a + b, 0) / accs.length;
    const exact =
      LANGUAGES.map((l) => tally.get(`${split}/${kind}/${l}`))
        .filter(Boolean)
        .reduce((sum, t) => sum + t.exact / t.n, 0) / accs.length;
    const low = LANGUAGES.filter((l) => {
      const t = tally.get(`${split}/${kind}/${l}`);
      return t && t.ok / t.n < 0.85;
    }).map((l) => {
      const t = tally.get(`${split}/${kind}/${l}`);
      return `${l} ${(t.ok / t.n).toFixed(2)}`;
    });
    line.push(
      `${kind} ${macro.toFixed(3)} (own language only ${exact.toFixed(3)}; ${accs.length} langs; <0.85: ${low.join(", ") || "none"})`,
    );
  }
  console.log(`${split.padEnd(4)} ${line.join("\n     ")}`);
}
if (process.argv.includes("--table")) {
  const cell = (split, l) => {
    const t = tally.get(`${split}/short/${l}`);
    return t ? (t.ok / t.n).toFixed(2) : "-";
  };
  console.log("short  dev   test");
  for (const l of LANGUAGES) console.log(`${l.padEnd(5)}  ${cell("dev", l).padEnd(4)}  ${cell("test", l)}`);
}
if (process.argv.includes("--misses")) for (const m of misses) console.log(m);
