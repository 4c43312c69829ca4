// Score compass's detector on the packaged evaluation set (test/fixtures/lid-eval-packages.json): macro accuracy per
// split (dev / held-out test) and kind (short / long / mixed), the languages below 0.85, and with --misses the dev
// split's errors (the held-out split's errors are never printed: only its figures are looked at).
// --table prints each language's short-string accuracy on both splits.
// Usage: node scripts/lid-eval.mjs [--misses] [--table] [--lang xx]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importTs, root } from "./import-ts.mjs";

const { detectLanguage, LANGUAGES } = await importTs(
  `export { detectLanguage } from "./src/lid/detect.ts"; export { LANGUAGES } from "./adapters/languages.ts";`,
);
const items = JSON.parse(readFileSync(join(root, "test/fixtures/lid-eval-packages.json"), "utf8")).items;
const only = process.argv.includes("--lang") ? process.argv[process.argv.indexOf("--lang") + 1] : null;

const tally = new Map();
const misses = [];
for (const item of items) {
  const got = detectLanguage(item.text).language;
  for (const key of [`${item.split}/${item.kind}/${item.lang}`, `all/${item.kind}/${item.lang}`]) {
    const t = tally.get(key) ?? { ok: 0, n: 0 };
    t.n++;
    if (got === item.lang) t.ok++;
    tally.set(key, t);
  }
  if (got !== item.lang && item.split === "dev" && (!only || only === item.lang))
    misses.push(`${item.lang} -> ${got} [${item.kind} ${item.source}] ${item.text}`);
}
for (const split of ["dev", "test", "all"]) {
  const line = [];
  for (const kind of ["short", "long", "mixed"]) {
    const accs = LANGUAGES.map((l) => tally.get(`${split}/${kind}/${l}`))
      .filter(Boolean)
      .map((t) => t.ok / t.n);
    const macro = accs.reduce((a, b) => a + b, 0) / accs.length;
    const low = LANGUAGES.filter((l) => {
      const t = tally.get(`${split}/${kind}/${l}`);
      return t && t.ok / t.n < 0.85;
    }).map((l) => {
      const t = tally.get(`${split}/${kind}/${l}`);
      return `${l} ${(t.ok / t.n).toFixed(2)}`;
    });
    line.push(`${kind} ${macro.toFixed(3)} (${accs.length} langs; <0.85: ${low.join(", ") || "none"})`);
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
