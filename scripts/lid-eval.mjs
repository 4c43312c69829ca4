// Score compass's detector on the packaged evaluation set (test/fixtures/lid-eval-packages.json): macro accuracy per
// split (dev / held-out test) and kind (short / long / mixed), the languages below 0.85, and with --misses the dev
// split's errors (the held-out split's errors are never printed: only its figures are looked at).
// --table prints each language's short-string accuracy on both splits. An answer is right when it is the string's
// language or one the item's `also` names (another language whose same source writes the string identically); each
// macro is followed by the figure that takes the item's own language alone.
// --set chromium scores the second held-out set instead (test/fixtures/lid-eval-chromium.json, Chromium's interface
// strings, 32 languages; scripts/lid-build-chromium-eval.py): macro accuracy and each language's, never its strings.
// Usage: node scripts/lid-eval.mjs [--misses] [--table] [--lang xx] [--set chromium]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importTs, root } from "./import-ts.mjs";

const { detectLanguage, LANGUAGES } = await importTs(
  `export { detectLanguage } from "./src/lid/detect.ts"; export { LANGUAGES } from "./adapters/languages.ts";`,
);
const only = process.argv.includes("--lang") ? process.argv[process.argv.indexOf("--lang") + 1] : null;

if (process.argv.includes("--set") && process.argv[process.argv.indexOf("--set") + 1] === "chromium") {
  const fresh = JSON.parse(readFileSync(join(root, "test/fixtures/lid-eval-chromium.json"), "utf8")).items;
  const perLanguage = LANGUAGES.filter((lang) => fresh.some((item) => item.lang === lang)).map((lang) => {
    const own = fresh.filter((item) => item.lang === lang);
    return [lang, own.filter((item) => detectLanguage(item.text).language === lang).length / own.length];
  });
  const macro = perLanguage.reduce((sum, [, accuracy]) => sum + accuracy, 0) / perLanguage.length;
  console.log(`chromium short ${macro.toFixed(3)} (${perLanguage.length} langs, ${fresh.length} strings)`);
  console.log(perLanguage.map(([lang, accuracy]) => `${lang} ${accuracy.toFixed(2)}`).join(", "));
  process.exit(0);
}

const items = JSON.parse(readFileSync(join(root, "test/fixtures/lid-eval-packages.json"), "utf8")).items;

/** Whether `got` is a right answer for the item: its language, or one that writes the string identically. */
const isRight = (item, got) => got === item.lang || (item.also ?? []).includes(got);

const tally = new Map();
const misses = [];
for (const item of items) {
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
for (const split of ["dev", "test", "all"]) {
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
