// npm run bench (second part) — what drift telemetry costs, side by side in one run:
// 1. CPU per request of the recording (sketch embedding + nearest centroid in WASM SIMD + buffering), in-process,
//    p50/p99, beside the routing decision (LID + adapter choice) on the same Swahili requests;
// 2. the chat round trip through the worker under `wrangler dev` with telemetry on and off (two workers, requests
//    interleaved with the upstream called directly);
// 3. assignments per second one DriftWindow object absorbs, by batch size (the real object under `wrangler dev`).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importTs, root } from "./import-ts.mjs";
import { freePort, startLocalStack } from "./local-stack.mjs";

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const summary = (samples) => {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), n: s.length };
};
const fmt = (ms) => (Math.abs(ms) < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(3)} ms`);
const vector = JSON.parse(readFileSync(join(root, "test/vectors/drift-sw.json"), "utf8"));
const texts = vector.texts;

// 1. Recording vs routing decision, in-process.
const m = await importTs(`
  export * from "./kernels/src/index.ts";
  export { DriftBuffer } from "./src/drift/buffer.ts";
  export { detectLanguage } from "./src/lid/detect.ts";
  export { decideRoute } from "./src/route.ts";
`);
const kernels = new m.WasmKernels(new WebAssembly.Module(readFileSync(join(root, "kernels/build/compass.simd.wasm"))));
const encoder = new m.WasmSketchEncoder(kernels);
const manifest = JSON.parse(readFileSync(join(root, "adapters/demo-manifest.json"), "utf8"));
const options = { minConfidence: 0.5, defaultBaseModel: "base", canaryDraw: 0.5 };
const model = vector.clusterModel;
const tables = {
  [`K=${model.reference.length} (the vector's sw model)`]: kernels.loadCentroids(
    Float32Array.from(model.centroids.flat()),
    model.reference.length,
    model.dim,
  ),
};
let seed = 1;
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32 - 0.5;
};
for (const k of [64, 256]) {
  const rows = new Float32Array(k * model.dim).map(random);
  for (let r = 0; r < k; r++) {
    const row = rows.subarray(r * model.dim, (r + 1) * model.dim);
    const norm = Math.hypot(...row);
    for (let i = 0; i < row.length; i++) row[i] /= norm;
  }
  tables[`K=${k} (random unit centroids)`] = kernels.loadCentroids(rows, k, model.dim);
}
const time = (fn, rounds = 20) => {
  for (const t of texts) fn(t); // warm-up
  const samples = [];
  for (let round = 0; round < rounds; round++)
    for (const t of texts) {
      const t0 = performance.now();
      fn(t);
      samples.push(performance.now() - t0);
    }
  return summary(samples);
};
const route = time((t) => m.decideRoute(m.detectLanguage(t), manifest, options));
console.log(`drift recording vs routing decision, in-process (Node), ${route.n} Swahili requests each:`);
console.log(`  routing decision (LID + adapter choice)        p50 ${fmt(route.p50)}   p99 ${fmt(route.p99)}`);
const nearest = { index: -1, best: 0, second: 0 };
const ref = { version: "1", reference: model.reference, theta: model.theta };
for (const [name, table] of Object.entries(tables)) {
  const buffer = new m.DriftBuffer(100);
  const record = time((t) => {
    encoder.embed(t);
    kernels.nearest(encoder.embedding, table, m.METRIC_COSINE_NORMALISED, nearest);
    if (buffer.add("sw", "eu", ref, nearest.index, t)) buffer.take();
  });
  console.log(
    `  recording, ${name.padEnd(36)} p50 ${fmt(record.p50)}   p99 ${fmt(record.p99)}   (${(record.p50 / route.p50).toFixed(2)}× the decision)`,
  );
}

// 2. Round trips with telemetry on and off.
const state = mkdtempSync(join(tmpdir(), "compass-bench-drift-"));
const modelFile = join(state, "cluster_model.json");
writeFileSync(modelFile, JSON.stringify(model));
const stacks = [];
try {
  for (const telemetry of ["true", "false"])
    stacks.push(
      await startLocalStack({
        upstreamPort: await freePort(),
        workerPort: await freePort(),
        persist: join(state, `wrangler-${telemetry}`),
        clusterModel: modelFile,
        vars: { DRIFT_TELEMETRY: telemetry },
      }),
    );
  const [on, off] = stacks;
  const post = (url, text) =>
    fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-compass-region": "bench" },
      body: JSON.stringify({ messages: [{ role: "user", content: text }] }),
    }).then((r) => r.text());
  for (let i = 0; i < 50; i++)
    for (const url of [on.upstreamUrl, on.workerUrl, off.workerUrl]) await post(url, texts[i]);
  const runs = { direct: [], on: [], off: [] };
  for (let i = 0; i < 600; i++) {
    const text = texts[i % texts.length];
    for (const [name, url] of [
      ["direct", on.upstreamUrl],
      ["on", on.workerUrl],
      ["off", off.workerUrl],
    ]) {
      const t0 = performance.now();
      await post(url, text);
      runs[name].push(performance.now() - t0);
    }
  }
  const [d, n, f] = [summary(runs.direct), summary(runs.on), summary(runs.off)];
  console.log(`\nchat round trips, ${d.n} interleaved requests each (local upstream; workers under wrangler dev):`);
  console.log(`  direct to upstream        p50 ${fmt(d.p50)}   p99 ${fmt(d.p99)}`);
  console.log(`  compass, telemetry off    p50 ${fmt(f.p50)}   p99 ${fmt(f.p99)}`);
  console.log(`  compass, telemetry on     p50 ${fmt(n.p50)}   p99 ${fmt(n.p99)}`);
  console.log(`  telemetry on − off        p50 ${fmt(n.p50 - f.p50)}   p99 ${fmt(n.p99 - f.p99)}`);
} finally {
  for (const stack of stacks) await stack.stop();
}

// 3. One object's intake, by batch size.
const port = await freePort();
const dev = spawn(
  join(root, "node_modules/.bin/wrangler"),
  [
    "dev",
    "-c",
    join(root, "scripts/bench/wrangler.drift-object.toml"),
    "--port",
    String(port),
    "--ip",
    "127.0.0.1",
    "--persist-to",
    join(state, "object"),
    "--show-interactive-dev-session=false",
  ],
  { stdio: "ignore" },
);
try {
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/?batch=1&calls=1&name=warm`)).ok) break;
    } catch {}
    if (i > 120) throw new Error("the bench worker did not start within 60 s");
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log("\none DriftWindow object's intake (wrangler dev, 4 batches in flight, window checks included):");
  for (const [batch, calls] of [
    [1, 300],
    [10, 300],
    [100, 200],
  ]) {
    const t0 = performance.now();
    const res = await fetch(`${url}/?batch=${batch}&calls=${calls}&concurrency=4&name=b${batch}`, {
      signal: AbortSignal.timeout(120_000),
    });
    const { accepted } = await res.json();
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `  batches of ${String(batch).padStart(3)}: ${String(Math.round(calls / seconds)).padStart(6)} batches/s  ` +
        `${String(Math.round(accepted / seconds)).padStart(8)} assignments/s`,
    );
  }
} finally {
  dev.kill("SIGTERM");
  rmSync(state, { recursive: true, force: true });
}
