// Calibrate compass's LID confidence: fit the two logistic models of src/lid/calibration.ts on the dev split of
// test/fixtures/lid-eval-packages.json, write them into that file, and check them on the held-out split and on the
// second held-out set (test/fixtures/lid-eval-chromium.json, Chromium's interface strings): expected calibration
// error, Brier score, a reliability diagram (docs/lid-reliability.svg) and what each LID_MIN_CONFIDENCE
// would keep (docs/lid-calibration.md). Usage: node scripts/lid-calibrate.mjs [--check] (--check: fit and report,
// write nothing).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { importTs, root } from "./import-ts.mjs";

const { detectionEvidence, isIndonesianMalay, MAX_CONFIDENCE } = await importTs(
  `export { detectionEvidence } from "./src/lid/detect.ts";
   export { isIndonesianMalay, MAX_CONFIDENCE } from "./src/lid/calibration.ts";`,
);
const items = JSON.parse(readFileSync(join(root, "test/fixtures/lid-eval-packages.json"), "utf8")).items;
const chromium = JSON.parse(readFileSync(join(root, "test/fixtures/lid-eval-chromium.json"), "utf8")).items;
const check = process.argv.includes("--check");

/**
 * Each item with the evidence of its detection and whether the answer is right (1) or not (0): the item's language,
 * or one its `also` names (another language whose same source writes the string identically).
 */
const withEvidence = (list) =>
  list.map((item) => {
    const e = detectionEvidence(item.text);
    return { ...item, e, right: e.language === item.lang || (item.also ?? []).includes(e.language) ? 1 : 0 };
  });
const rows = withEvidence(items);
/** The logistic models' inputs: intercept, ln(1 + letters or words), margin, and the Indonesian/Malay indicator. */
const features = (e) => [1, Math.log1p(e.count), e.margin, isIndonesianMalay(e.language, e.runnerUp) ? 1 : 0];
const WEIGHTS = ["bias", "count", "margin", "indonesianMalay"];

/** Logistic regression by Newton's method with a small ridge (the script fit's margin and pair columns are 0). */
function fitLogistic(samples) {
  const k = WEIGHTS.length;
  let w = new Array(k).fill(0);
  const ridge = 1e-3;
  for (let iter = 0; iter < 50; iter++) {
    const grad = w.map((v) => ridge * v);
    const hess = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? ridge : 0)));
    for (const { x, y } of samples) {
      const p = 1 / (1 + Math.exp(-x.reduce((sum, xi, i) => sum + w[i] * xi, 0)));
      for (let i = 0; i < k; i++) {
        grad[i] += (p - y) * x[i];
        for (let j = 0; j < k; j++) hess[i][j] += p * (1 - p) * x[i] * x[j];
      }
    }
    const step = solve(hess, grad);
    w = w.map((v, i) => v - step[i]);
    if (Math.hypot(...step) < 1e-9) break;
  }
  return Object.fromEntries(WEIGHTS.map((name, i) => [name, round(w[i])]));
}

/** Solves a·x = b by Gauss-Jordan elimination with partial pivoting (a is k×k and positive definite here). */
function solve(a, b) {
  const k = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < k; r++) {
      if (r === c || m[c][c] === 0) continue;
      const f = m[r][c] / m[c][c];
      for (let col = c; col <= k; col++) m[r][col] -= f * m[c][col];
    }
  }
  return m.map((row, i) => (row[i] === 0 ? 0 : row[k] / row[i]));
}

const round = (v) => Math.round(v * 1e4) / 1e4;
const sigmoid = (fit, e) =>
  Math.min(MAX_CONFIDENCE, 1 / (1 + Math.exp(-features(e).reduce((sum, x, i) => sum + fit[WEIGHTS[i]] * x, 0))));

const decided = rows.filter((r) => r.e.language);
const dev = decided.filter((r) => r.split === "dev");
const fits = {};
for (const fit of ["script", "shared"]) {
  fits[fit] = fitLogistic(dev.filter((r) => r.e.fit === fit).map((r) => ({ x: features(r.e), y: r.right })));
}
const confidence = (r) => sigmoid(fits[r.e.fit], r.e);

function reliability(sample, bins = 10) {
  const table = Array.from({ length: bins }, (_, i) => ({ lo: i / bins, hi: (i + 1) / bins, n: 0, conf: 0, acc: 0 }));
  for (const r of sample) {
    const c = confidence(r);
    const bin = table[Math.min(bins - 1, Math.floor(c * bins))];
    bin.n++;
    bin.conf += c;
    bin.acc += r.right;
  }
  let ece = 0;
  for (const b of table) {
    if (b.n) {
      b.conf /= b.n;
      b.acc /= b.n;
      ece += (b.n / sample.length) * Math.abs(b.acc - b.conf);
    }
  }
  const brier = sample.reduce((s, r) => s + (confidence(r) - r.right) ** 2, 0) / sample.length;
  return { table, ece, brier };
}

const test = decided.filter((r) => r.split === "test");
const relDev = reliability(dev);
const relTest = reliability(test);
const chromiumDecided = withEvidence(chromium).filter((r) => r.e.language);
const relChromium = reliability(chromiumDecided);

function svg(curves) {
  const size = 360;
  const pad = 48;
  const x = (v) => pad + v * (size - 2 * pad);
  const y = (v) => size - pad - v * (size - 2 * pad);
  let out = `<svg xmlns="http://www.w3.org/2000/svg" width="${size + 150}" height="${size}" font-family="sans-serif" font-size="12">\n`;
  out += `<rect width="100%" height="100%" fill="white"/>\n`;
  out += `<text x="${pad}" y="20" font-size="14">compass LID: reliability (calibrated confidence vs accuracy)</text>\n`;
  out += `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 3"/>\n`;
  out += `<rect x="${x(0)}" y="${y(1)}" width="${x(1) - x(0)}" height="${y(0) - y(1)}" fill="none" stroke="#333"/>\n`;
  for (let t = 0; t <= 10; t += 2) {
    out += `<text x="${x(t / 10)}" y="${y(0) + 16}" text-anchor="middle">${(t / 10).toFixed(1)}</text>\n`;
    out += `<text x="${x(0) - 6}" y="${y(t / 10) + 4}" text-anchor="end">${(t / 10).toFixed(1)}</text>\n`;
  }
  out += `<text x="${size / 2}" y="${size - 8}" text-anchor="middle">confidence</text>\n`;
  out += `<text x="14" y="${size / 2}" transform="rotate(-90 14 ${size / 2})" text-anchor="middle">accuracy</text>\n`;
  curves.forEach(({ name, rel, color }, k) => {
    const pts = rel.table.filter((b) => b.n > 0);
    out += `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((b) => `${x(b.conf).toFixed(1)},${y(b.acc).toFixed(1)}`).join(" ")}"/>\n`;
    for (const b of pts) {
      const r = Math.max(2.5, Math.min(9, Math.sqrt(b.n) / 3));
      out += `<circle cx="${x(b.conf).toFixed(1)}" cy="${y(b.acc).toFixed(1)}" r="${r.toFixed(1)}" fill="${color}" fill-opacity="0.6"/>\n`;
    }
    out += `<rect x="${size - 20}" y="${60 + k * 44}" width="12" height="12" fill="${color}"/>\n`;
    out += `<text x="${size - 2}" y="${70 + k * 44}">${name}</text>\n`;
    out += `<text x="${size - 2}" y="${86 + k * 44}">ECE ${rel.ece.toFixed(3)}</text>\n`;
  });
  out += `<text x="${size - 20}" y="${60 + curves.length * 44 + 10}" font-size="10">dot area ∝ strings in bin</text>\n`;
  return `${out}</svg>\n`;
}

const thresholds = [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const keep = (sample, t) => {
  const kept = sample.filter((r) => confidence(r) >= t);
  const right = kept.filter((r) => r.right).length;
  return { share: kept.length / sample.length, acc: kept.length ? right / kept.length : 0 };
};
const testAll = rows.filter((r) => r.split === "test");

let md = `# LID confidence calibration\n\nGenerated by \`node scripts/lid-calibrate.mjs\` on ${new Date().toISOString().slice(0, 10)}.\n\n`;
md += `The reported confidence is the probability that the detected language is right, from two logistic models fitted\n`;
md += `on the **dev** split of \`test/fixtures/lid-eval-packages.json\` (django catalogues + CLDR patterns, ${dev.length} decided\n`;
md += `strings) and checked on the **held-out** split (CLDR emoji names + UDHR, ${test.length} decided strings):\n\n`;
md += `- decided by script alone (Hangul, kana, Han, Greek, …): P = σ(${fits.script.bias} + ${fits.script.count}·ln(1+letters))\n`;
md += `- decided among languages sharing a script: P = σ(${fits.shared.bias} + ${fits.shared.count}·ln(1+words) + ${fits.shared.margin}·margin`;
md += ` + ${fits.shared.indonesianMalay}·[Indonesian and Malay were the best two])\n`;
md += `- either capped at ${MAX_CONFIDENCE}: the held-out top bin is right 99% of the time, and no detection is certain\n\n`;
md += `| split | strings | ECE (10 bins) | Brier |\n|---|---|---|---|\n`;
md += `| dev (fitted on) | ${dev.length} | ${relDev.ece.toFixed(3)} | ${relDev.brier.toFixed(3)} |\n`;
md += `| held-out test | ${test.length} | ${relTest.ece.toFixed(3)} | ${relTest.brier.toFixed(3)} |\n`;
md += `| second held-out: Chromium's interface strings, short, 32 languages | ${chromiumDecided.length} | ${relChromium.ece.toFixed(3)} | ${relChromium.brier.toFixed(3)} |\n\n`;
md += `![reliability diagram](lid-reliability.svg)\n\n## Held-out reliability table\n\n| confidence bin | strings | mean confidence | accuracy |\n|---|---|---|---|\n`;
for (const b of relTest.table)
  if (b.n) md += `| ${b.lo.toFixed(1)}–${b.hi.toFixed(1)} | ${b.n} | ${b.conf.toFixed(3)} | ${b.acc.toFixed(3)} |\n`;
md += `\n## Choosing LID_MIN_CONFIDENCE\n\nBelow the cut-off a request goes to the base model (reason \`low-confidence\`). On the held-out split\n`;
md += `(all kinds: short, long, mixed; a string with nothing left to identify counts as not kept):\n\n`;
md += `| LID_MIN_CONFIDENCE | traffic routed to an adapter | accuracy of what is routed | wrong adapter, share of all traffic |\n|---|---|---|---|\n`;
for (const t of thresholds) {
  const k = keep(testAll, t);
  md += `| ${t.toFixed(1)} | ${(k.share * 100).toFixed(1)}% | ${k.acc.toFixed(3)} | ${(k.share * (1 - k.acc) * 100).toFixed(1)}% |\n`;
}
md += `\nThe default is **0.5**: with a calibrated confidence it routes a request to its language's adapter exactly when\n`;
md += `that is more likely right than wrong, which the table shows costs little traffic while removing most wrong routes.\n`;

console.log(`fits: ${JSON.stringify(fits)}`);
console.log(
  `ECE dev ${relDev.ece.toFixed(3)} test ${relTest.ece.toFixed(3)} chromium ${relChromium.ece.toFixed(3)}; Brier dev ${relDev.brier.toFixed(3)} test ${relTest.brier.toFixed(3)} chromium ${relChromium.brier.toFixed(3)}`,
);
for (const t of thresholds) {
  const k = keep(testAll, t);
  console.log(`  min ${t.toFixed(1)}: keep ${(k.share * 100).toFixed(1)}%  acc ${k.acc.toFixed(3)}`);
}
if (!check) {
  const path = join(root, "src/lid/calibration.ts");
  const source = readFileSync(path, "utf8");
  const block = `export const CALIBRATION: { readonly script: LogisticFit; readonly shared: LogisticFit } = {\n  script: ${fmtFit(fits.script)},\n  shared: ${fmtFit(fits.shared)},\n};`;
  writeFileSync(path, source.replace(/export const CALIBRATION[\s\S]*?\n};/, block));
  writeFileSync(
    join(root, "docs/lid-reliability.svg"),
    svg([
      { name: "dev (fit)", rel: relDev, color: "#1f77b4" },
      { name: "held-out", rel: relTest, color: "#d62728" },
      { name: "Chromium", rel: relChromium, color: "#2ca02c" },
    ]),
  );
  writeFileSync(join(root, "docs/lid-calibration.md"), md);
}

function fmtFit(f) {
  return `{ ${WEIGHTS.map((name) => `${name}: ${f[name]}`).join(", ")} }`;
}
