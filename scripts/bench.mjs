// npm run bench — the worker's costs, measured side by side in one run:
// 1. routing decision (LID + adapter choice) per request, in-process: p50/p99 over the 42-language evaluation set;
// 2. the proxy's added latency: the same chat request sent directly to the local upstream and through the worker
//    under `wrangler dev` (workerd), interleaved, p50/p99 of each and their difference.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importTs, root } from "./import-ts.mjs";
import { startLocalStack } from "./local-stack.mjs";

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const summary = (samples) => {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), n: s.length };
};
const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(3)} ms`);

// 1. Routing decision in-process.
const { detectLanguage, decideRoute } = await importTs(
  `export { detectLanguage } from "./src/lid/detect.ts"; export { decideRoute } from "./src/route.ts";`,
);
const manifest = JSON.parse(readFileSync(join(root, "adapters/demo-manifest.json"), "utf8"));
const texts = Object.values(
  JSON.parse(readFileSync(join(root, "test/fixtures/lid-eval.json"), "utf8")).languages,
).flatMap((l) => [...l.short, ...l.sentences]);
const options = { minConfidence: 0.5, defaultBaseModel: "base", canaryDraw: 0.5 };
for (const t of texts) decideRoute(detectLanguage(t), manifest, options); // warm-up
const routeSamples = [];
for (let round = 0; round < 5; round++) {
  for (const t of texts) {
    const t0 = performance.now();
    decideRoute(detectLanguage(t), manifest, options);
    routeSamples.push(performance.now() - t0);
  }
}
const route = summary(routeSamples);
console.log(`routing decision (LID + adapter choice), in-process, ${route.n} requests over 42 languages:`);
console.log(`  p50 ${fmt(route.p50)}   p99 ${fmt(route.p99)}`);

// 2. Proxy overhead: direct upstream vs through the worker, interleaved so both see the same machine state.
const stack = await startLocalStack();
try {
  const body = JSON.stringify({
    messages: [{ role: "user", content: "Mji mkuu wa Kenya ni upi na una watu wangapi?" }],
  });
  const post = (url) =>
    fetch(`${url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body }).then(
      (r) => r.text(),
    );
  for (let i = 0; i < 50; i++) {
    await post(stack.upstreamUrl);
    await post(stack.workerUrl);
  }
  const direct = [];
  const proxied = [];
  const workerOnly = [];
  for (let i = 0; i < 400; i++) {
    let t0 = performance.now();
    await post(stack.upstreamUrl);
    direct.push(performance.now() - t0);
    t0 = performance.now();
    await post(stack.workerUrl);
    proxied.push(performance.now() - t0);
    t0 = performance.now();
    await fetch(`${stack.workerUrl}/healthz`).then((r) => r.text());
    workerOnly.push(performance.now() - t0);
  }
  const d = summary(direct);
  const p = summary(proxied);
  const w = summary(workerOnly);
  console.log(`\nround trips, ${d.n} interleaved requests each (local upstream; worker under wrangler dev):`);
  console.log(`  chat, direct to upstream          p50 ${fmt(d.p50)}   p99 ${fmt(d.p99)}`);
  console.log(
    `  chat, through compass             p50 ${fmt(p.p50)}   p99 ${fmt(p.p99)}   (ratio p50 ${(p.p50 / d.p50).toFixed(2)}x)`,
  );
  console.log(
    `  GET /healthz (no upstream call)   p50 ${fmt(w.p50)}   p99 ${fmt(w.p99)}   (the dev server's own hop, mostly)`,
  );
  console.log(
    `  added by the proxy: p50 ${fmt(p.p50 - d.p50)}, of which beyond the dev-server hop p50 ${fmt(p.p50 - d.p50 - w.p50)}`,
  );
} finally {
  await stack.stop();
}
