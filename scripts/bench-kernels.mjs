// npm run bench:kernels — nearest-centroid throughput of the WASM SIMD build, the WASM scalar build and the
// TypeScript reference, for K ∈ {64, 256, 1024} × d ∈ {64, 256, 1024}, measured side by side in one run; plus JS
// divergence and the sketch encoder. Prints ratios against the TS reference.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importTs, root } from "./import-ts.mjs";

const k = await importTs(`export * from "./kernels/src/index.ts";`);
const load = (file) => new k.WasmKernels(new WebAssembly.Module(readFileSync(join(root, "kernels/build", file))));
const simd = load("compass.simd.wasm");
const scalar = load("compass.scalar.wasm");

let seed = 12345;
const rand = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32 - 0.5;
};
const unitRows = (rows, d) => {
  const a = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < d; i++) {
      a[r * d + i] = rand();
      s += a[r * d + i] ** 2;
    }
    for (let i = 0; i < d; i++) a[r * d + i] /= Math.sqrt(s);
  }
  return a;
};

/** Calls per second of fn, timed for at least `ms` after a warm-up. */
function rate(fn, ms = 150) {
  for (let i = 0; i < 20; i++) fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 10; i++) fn();
    calls += 10;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}

const fmt = (r) =>
  r >= 1e6 ? `${(r / 1e6).toFixed(2)}M/s` : r >= 1e3 ? `${(r / 1e3).toFixed(1)}k/s` : `${r.toFixed(0)}/s`;
console.log("nearest centroid (cosine on unit vectors), queries per second; ratios vs the TS reference\n");
console.log("   K     d |    TS ref |  WASM scalar |    WASM SIMD | scalar/TS | SIMD/TS | SIMD/scalar");
for (const K of [64, 256, 1024]) {
  for (const d of [64, 256, 1024]) {
    const centroids = unitRows(K, d);
    const query = unitRows(1, d);
    const tsRate = rate(() => k.reference.nearest(query, centroids, K, d, k.METRIC_COSINE_NORMALISED));
    const wasmRate = (kernels) => {
      const table = kernels.loadCentroids(centroids, K, d);
      const q = kernels.alloc(Float32Array, d);
      q.view.set(query);
      const into = { index: 0, best: 0, second: 0 };
      return rate(() => kernels.nearest(q, table, k.METRIC_COSINE_NORMALISED, into));
    };
    const sc = wasmRate(scalar);
    const si = wasmRate(simd);
    console.log(
      `${String(K).padStart(4)}  ${String(d).padStart(4)} | ${fmt(tsRate).padStart(9)} | ${fmt(sc).padStart(12)} | ${fmt(si).padStart(12)} | ${(sc / tsRate).toFixed(2).padStart(8)}x | ${(si / tsRate).toFixed(2).padStart(6)}x | ${(si / sc).toFixed(2).padStart(10)}x`,
    );
  }
}

console.log("\nJS divergence of two 256-bin histograms, calls per second");
const p = Float64Array.from({ length: 256 }, () => Math.floor((rand() + 0.5) * 50));
const q = Float64Array.from({ length: 256 }, () => Math.floor((rand() + 0.5) * 50));
const jsTs = rate(() => k.reference.jsDivergence(p, q));
const jsRate = (kernels) => {
  const rp = kernels.alloc(Float64Array, 256);
  const rq = kernels.alloc(Float64Array, 256);
  rp.view.set(p);
  rq.view.set(q);
  return rate(() => kernels.jsDivergence(rp, rq));
};
const [jsSc, jsSi] = [jsRate(scalar), jsRate(simd)];
console.log(
  `  TS ${fmt(jsTs)}   WASM scalar ${fmt(jsSc)} (${(jsSc / jsTs).toFixed(2)}x)   WASM SIMD ${fmt(jsSi)} (${(jsSi / jsTs).toFixed(2)}x)`,
);

console.log("\nsketch encoder (d=256) on a 60-character query, embeddings per second");
const text = "Mji mkuu wa Kenya ni upi na una watu wangapi kwa sasa hivi?";
const encoder = new k.WasmSketchEncoder(simd);
const skTs = rate(() => k.sketchEmbedReference(text));
const skWasm = rate(() => encoder.embed(text));
console.log(
  `  TS reference ${fmt(skTs)}   WASM projection ${fmt(skWasm)} (${(skWasm / skTs).toFixed(2)}x; n-gram hashing stays in JS for both)`,
);
