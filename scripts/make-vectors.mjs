// Write the shared test vectors under test/vectors/ from the TypeScript reference kernels. Both the worker's tests
// and the trainer's pytest suite assert them; regenerate only when the sketch spec's version changes.
// Usage: node scripts/make-vectors.mjs
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { importTs, root } from "./import-ts.mjs";

const k = await importTs(`export * from "./kernels/src/index.ts";`);

const texts = [
  ["latin", "How do I bake sourdough bread?"],
  ["latin-diacritics", "Ẹ jọ̀wọ́, ṣé ẹ lè ràn mí lọ́wọ́?"],
  ["cyrillic", "Какая столица Канады?"],
  ["arabic", "ما هي عاصمة فرنسا؟"],
  ["devanagari", "भारत की राजधानी क्या है?"],
  ["han", "天空为什么是蓝色的"],
  ["hangul", "프랑스의 수도는 어디인가요?"],
  ["geez", "የኢትዮጵያ ዋና ከተማ ምንድን ነው?"],
  ["empty", ""],
  ["whitespace-only", " \t\n\u3000 "],
  ["single-char", "a"],
  ["emoji", "I love it 😀👍🏽 so much"],
  ["combining-marks", "cafe\u0301 vs café, ﬁne ＡＢＣ"],
  ["mixed-scripts", "Mji mkuu wa Kenya ni Nairobi (ナイロビ) — население 4 млн"],
  ["case-and-spaces", "  HELLO\u00a0\u00a0World  "],
];
const round = (v) => Array.from(v, (x) => x);
const sketch = {
  about:
    "Sketch encoder vectors (docs/sketch-encoder.md): text -> n-gram count, murmur3 hashes of the first n-grams, and the full f32 embedding (each value exact as a double). Asserted by kernels (TS reference and WASM) and by trainer/compass_trainer/sketch.py.",
  version: k.SKETCH_VERSION,
  dim: k.SKETCH_DIM,
  orders: k.SKETCH_ORDERS,
  projections: k.SKETCH_PROJECTIONS,
  seed: k.SKETCH_SEED,
  cases: texts.map(([name, text]) => {
    const normalized = k.normalizeForSketch(text);
    const hashes = new Uint32Array(k.maxNgrams(normalized));
    const n = k.ngramHashes(normalized, hashes);
    return {
      name,
      text,
      normalized,
      ngrams: n,
      first_hashes: Array.from(hashes.subarray(0, Math.min(n, 8))),
      embedding: round(k.sketchEmbedReference(text)),
    };
  }),
};
writeFileSync(join(root, "test/vectors/sketch.json"), `${JSON.stringify(sketch, null, 1)}\n`);

// Nearest centroid and divergence cases, with small exact shapes.
const emb = (t) => k.sketchEmbedReference(t);
const centroidTexts = [
  "weather forecast tomorrow",
  "how to cook rice",
  "capital city of a country",
  "explain physics theory",
];
const centroids = new Float32Array(centroidTexts.length * k.SKETCH_DIM);
for (const [i, t] of centroidTexts.entries()) centroids.set(emb(t), i * k.SKETCH_DIM);
const queries = [
  "what is the weather tomorrow",
  "cooking rice at home",
  "capital of Kenya",
  "relativity theory explained",
];
const nearest = {
  about:
    "Nearest centroid (cosine distance on L2-normalised sketch embeddings) of query texts among centroid texts; distances are f32 values.",
  metric: "cosine-normalised",
  centroid_texts: centroidTexts,
  cases: queries.map((q) => ({
    query: q,
    ...k.reference.nearest(emb(q), centroids, centroidTexts.length, k.SKETCH_DIM, k.METRIC_COSINE_NORMALISED),
  })),
};
writeFileSync(join(root, "test/vectors/nearest.json"), `${JSON.stringify(nearest, null, 1)}\n`);

const pairs = [
  ["equal", [1, 2, 3], [2, 4, 6]],
  ["disjoint", [1, 0, 0], [0, 0, 5]],
  ["zero-bins", [3, 0, 1, 0], [1, 1, 1, 0]],
  ["skewed", [97, 1, 1, 1], [25, 25, 25, 25]],
  ["single-bin", [4], [9]],
  ["all-zero", [0, 0, 0], [1, 2, 3]],
];
const divergence = {
  about:
    "Jensen-Shannon (log2) and KL (log2) between count vectors, normalised inside; KL is +Infinity (null here) where P has mass and Q none; both are NaN (nan: true, js and kl null) where a vector is all zero.",
  cases: pairs.map(([name, p, q]) => {
    const kl = k.reference.klDivergence(Float64Array.from(p), Float64Array.from(q));
    const js = k.reference.jsDivergence(Float64Array.from(p), Float64Array.from(q));
    if (Number.isNaN(js)) return { name, p, q, js: null, kl: null, nan: true };
    return { name, p, q, js, kl: Number.isFinite(kl) ? kl : null };
  }),
};
writeFileSync(join(root, "test/vectors/divergence.json"), `${JSON.stringify(divergence, null, 1)}\n`);
console.log("wrote test/vectors/{sketch,nearest,divergence}.json");
