// npm run bench:kernels — every kernel side by side in one run, in µs per call (best of several timed rounds):
// the TypeScript reference, the WASM scalar build, the WASM SIMD build (what the worker ships), the relaxed-SIMD
// build (fused multiply-add; where the runtime validates it) and, for nearest centroid, the int8 table and numpy's
// per-query gemv + argmax on the trainer side (the trainer's .venv, in the same run). Ratios are against the TS
// reference and the scalar build. Targets (issue 14): nearest ≤ 4 µs at K=256, d=256; JS ≤ 2 µs at 1024 bins;
// sketch ≤ 5 µs per 60-character query.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { importTs, root } from "./import-ts.mjs";
import { micros } from "./micros.mjs";

const k = await importTs(`export * from "./kernels/src/index.ts";`);
// Node 20's V8 validates relaxed SIMD only behind a flag: rerun once with it (newer Nodes have it on by default).
if (!k.relaxedSimdSupported() && !process.env.COMPASS_BENCH_RELAXED_TRIED) {
  const flag = "--experimental-wasm-relaxed-simd";
  const child = spawnSync(process.execPath, [flag, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, COMPASS_BENCH_RELAXED_TRIED: "1" },
  });
  process.exit(child.status ?? 1);
}

const load = (file) => new k.WasmKernels(new WebAssembly.Module(readFileSync(join(root, "kernels/build", file))));
const builds = { scalar: load("compass.scalar.wasm"), simd: load("compass.simd.wasm") };
if (k.relaxedSimdSupported()) builds.relaxed = load("compass.relaxed.wasm");

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

const us = (x) => (x === undefined ? "—" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const col = (x, w = 9) => us(x).padStart(w);
const ratio = (a, b) => (a === undefined || b === undefined ? "—" : `${(a / b).toFixed(1)}x`);

// numpy on the trainer side: per-query `C @ q` then argmax, timed in one Python process over the same shapes.
const SHAPES = [];
for (const K of [64, 256, 1024]) for (const d of [64, 256, 1024]) SHAPES.push([K, d]);
function numpyMicros() {
  const python = join(root, ".venv/bin/python");
  if (!existsSync(python)) return { note: "numpy: skipped (no .venv; run `make py-deps`)" };
  const code = `
import json, sys, time
import numpy as np
rng = np.random.default_rng(0)
out = {}
for K, d in ${JSON.stringify(SHAPES)}:
    C = rng.standard_normal((K, d)).astype(np.float32); C /= np.linalg.norm(C, axis=1, keepdims=True)
    Q = rng.standard_normal((64, d)).astype(np.float32); Q /= np.linalg.norm(Q, axis=1, keepdims=True)
    best = float("inf")
    for _ in range(7):
        n = 0; t = time.perf_counter()
        while time.perf_counter() - t < 0.04:
            for q in Q:
                int(np.argmax(C @ q))
            n += len(Q)
        best = min(best, (time.perf_counter() - t) * 1e6 / n)
    out[f"{K}x{d}"] = best
print(json.dumps({"version": np.__version__, "us": out}))
`;
  const run = spawnSync(python, ["-c", code], { encoding: "utf8", timeout: 120_000 });
  if (run.status !== 0)
    return { note: `numpy: failed (${(run.stderr || run.error || "").toString().trim().split("\n").pop()})` };
  return JSON.parse(run.stdout);
}

const numpy = numpyMicros();
console.log(
  `nearest centroid (cosine on unit vectors), µs per query${numpy.version ? `; numpy ${numpy.version}` : ""}\n`,
);
console.log(
  "   K     d |   TS ref |   scalar |     SIMD |  relaxed | int8 SIMD |    numpy | SIMD/scalar | numpy ÷ best WASM",
);
const nearestRows = {};
for (const [K, d] of SHAPES) {
  const centroids = unitRows(K, d);
  const query = unitRows(1, d);
  const ts = micros(() => k.reference.nearest(query, centroids, K, d, k.METRIC_COSINE_NORMALISED));
  const time = (kernels, quantised = false) => {
    const q = kernels.alloc(Float32Array, d);
    q.view.set(query);
    const into = { index: 0, best: 0, second: 0 };
    if (quantised) {
      const table = kernels.loadCentroidsI8(centroids, K, d);
      return micros(() => kernels.nearestI8(q, table, into));
    }
    const table = kernels.loadCentroids(centroids, K, d);
    return micros(() => kernels.nearest(q, table, k.METRIC_COSINE_NORMALISED, into));
  };
  const row = {
    ts,
    scalar: time(builds.scalar),
    simd: time(builds.simd),
    relaxed: builds.relaxed && time(builds.relaxed),
    int8: time(builds.relaxed ?? builds.simd, true),
    numpy: numpy.us?.[`${K}x${d}`],
  };
  nearestRows[`${K}x${d}`] = row;
  const bestWasm = Math.min(row.simd, row.relaxed ?? Number.POSITIVE_INFINITY);
  console.log(
    `${String(K).padStart(4)}  ${String(d).padStart(4)} |${col(row.ts)} |${col(row.scalar)} |${col(row.simd)} |${col(row.relaxed)} |${col(row.int8, 10)} |${col(row.numpy)} | ${ratio(row.scalar, row.simd).padStart(11)} | ${ratio(row.numpy, bestWasm).padStart(8)}`,
  );
}
if (numpy.note) console.log(numpy.note);

// The int8 table's accuracy: how often it picks the f32 search's centroid, and how far its distances move.
{
  const [K, d, N] = [256, 256, 2000];
  const kernels = builds.simd;
  const centroids = unitRows(K, d);
  const f32 = kernels.loadCentroids(centroids, K, d);
  const i8 = kernels.loadCentroidsI8(centroids, K, d);
  const q = kernels.alloc(Float32Array, d);
  let agree = 0;
  let nearTies = 0;
  let maxErr = 0;
  for (let n = 0; n < N; n++) {
    // Queries near a centroid (as requests are near their cluster), plus noise.
    const c = Math.floor((rand() + 0.5) * K);
    const noise = unitRows(1, d);
    for (let i = 0; i < d; i++) q.view[i] = centroids[c * d + i] + 0.8 * noise[i];
    kernels.l2Normalize(q);
    const a = kernels.nearest(q, f32, k.METRIC_COSINE_NORMALISED);
    const b = kernels.nearestI8(q, i8);
    maxErr = Math.max(maxErr, Math.abs(a.best - b.best));
    if (a.index === b.index) agree++;
    else if (a.second - a.best < 2 * maxErr) nearTies++;
  }
  console.log(
    `\nint8 table accuracy (K=${K}, d=${d}, ${N} queries near a centroid): same centroid ${((100 * agree) / N).toFixed(2)}%` +
      ` (${nearTies} of the ${N - agree} others were near-ties), max |Δ distance| ${maxErr.toExponential(2)}`,
  );
}

console.log("\nJS divergence, µs per call, and the SIMD build's error against the exact (f64 Math.log2) value");
console.log(" bins |   TS ref |   scalar |     SIMD |  relaxed | SIMD/scalar | max |JS_simd - JS| (200 random pairs)");
for (const n of [256, 1024]) {
  const counts = () => Float64Array.from({ length: n }, () => (rand() < -0.3 ? 0 : Math.floor((rand() + 0.5) * 50)));
  const [p, q] = [counts(), counts()];
  const time = (kernels) => {
    const rp = kernels.alloc(Float64Array, n);
    const rq = kernels.alloc(Float64Array, n);
    rp.view.set(p);
    rq.view.set(q);
    return micros(() => kernels.jsDivergence(rp, rq));
  };
  const row = {
    ts: micros(() => k.reference.jsDivergence(p, q)),
    scalar: time(builds.scalar),
    simd: time(builds.simd),
    relaxed: builds.relaxed && time(builds.relaxed),
  };
  let maxErr = 0;
  const rp = builds.simd.alloc(Float64Array, n);
  const rq = builds.simd.alloc(Float64Array, n);
  for (let t = 0; t < 200; t++) {
    const [a, b] = [counts(), counts()];
    rp.view.set(a);
    rq.view.set(b);
    maxErr = Math.max(maxErr, Math.abs(builds.simd.jsDivergence(rp, rq) - k.reference.jsDivergence(a, b)));
  }
  console.log(
    `${String(n).padStart(5)} |${col(row.ts)} |${col(row.scalar)} |${col(row.simd)} |${col(row.relaxed)} | ${ratio(row.scalar, row.simd).padStart(11)} | ${maxErr.toExponential(2)}`,
  );
}

console.log("\nsketch encoder (d=256), µs per 60-character query (normalisation in JS is included everywhere)");
const text = "Mji mkuu wa Kenya ni upi na una watu wangapi kwa sasa hivi?";
const skRow = { ts: micros(() => k.sketchEmbedReference(text)) };
{
  // The previous worker path: n-gram hashing in JavaScript, only the projection in WASM.
  const kernels = builds.simd;
  const hashes = kernels.alloc(Uint32Array, k.SKETCH_MAX_NGRAMS);
  const out = kernels.alloc(Float32Array, k.SKETCH_DIM);
  skRow.jsHashing = micros(() => {
    const n = k.ngramHashes(k.normalizeForSketch(text), hashes.view);
    kernels.sketchProject(hashes, n, k.SKETCH_PROJECTIONS, out);
  });
}
for (const name of ["scalar", "simd"]) {
  const encoder = new k.WasmSketchEncoder(builds[name]);
  skRow[name] = micros(() => encoder.embed(text));
}
skRow.normalise = micros(() => k.normalizeForSketch(text));
console.log(
  "   TS ref | JS hashing + WASM projection | WASM hashing (scalar) | WASM hashing (SIMD) | of which normalisation",
);
console.log(
  `${col(skRow.ts)} |${col(skRow.jsHashing, 29)} |${col(skRow.scalar, 22)} |${col(skRow.simd, 20)} |${col(skRow.normalise, 23)}`,
);
console.log(
  `\ntargets: nearest K=256 d=256 ${us(Math.min(nearestRows["256x256"].simd, nearestRows["256x256"].relaxed ?? Number.POSITIVE_INFINITY))} µs (≤ 4), sketch ${us(skRow.simd)} µs (≤ 5); JS at 1024 bins above (≤ 2)`,
);
