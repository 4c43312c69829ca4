// npm run bench — the worker's costs, measured side by side in one run:
// 1. routing decision (LID + adapter choice) per request, in-process: p50/p99 over the 42-language evaluation set;
// 2. the proxy's added latency: the same chat request sent directly to the local upstream, through a bare
//    passthrough worker and through compass, both under `wrangler dev` (workerd), interleaved, p50/p99 of each.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { importTs, root } from "./import-ts.mjs";
import { freePort, startLocalStack } from "./local-stack.mjs";
import { startLocalUpstream } from "./local-upstream.mjs";

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

// 2. Proxy overhead, side by side, interleaved so that every variant sees the same machine state:
//    direct       the request straight to the local upstream (Node to Node);
//    hop          a GET answered by a bare worker under wrangler dev: the dev server's own hop;
//    post hop     the same chat request POSTed to the bare worker, which reads it and answers without a fetch: the hop
//                 of a request with a body;
//    bare proxy   a bare passthrough worker (scripts/bench-passthrough) forwarding the same request: workerd's floor;
//    in-bundle    the same passthrough inside compass's own worker (scripts/bench-passthrough/compass-entry.ts: same
//                 bundle, bindings and workerd process, one extra path);
//    compass      the request through compass (auth, validation, manifest, LID, routing, guarded upstream call).
// compass's own added latency is compass − in-bundle, paired per round: two workerd processes (bare vs compass) drift
// apart by ±0.5 ms between identical runs on this machine, one process against itself does not.
const upstream = await startLocalUpstream(0);
const upstreamUrl = `http://127.0.0.1:${upstream.address().port}`;
// wrangler.toml with the bench entry as `main`, at the root so that its relative paths still resolve.
const benchConfig = join(root, ".bench.wrangler.toml");
writeFileSync(
  benchConfig,
  readFileSync(join(root, "wrangler.toml"), "utf8").replace(
    /^main = .*$/m,
    'main = "scripts/bench-passthrough/compass-entry.ts"',
  ),
);
const stack = await startLocalStack({ upstreamUrl, config: benchConfig });
const barePort = await freePort();
const bare = spawn(
  join(root, "node_modules/.bin/wrangler"),
  [
    "dev",
    "--config",
    join(root, "scripts/bench-passthrough/wrangler.toml"),
    "--port",
    String(barePort),
    "--ip",
    "127.0.0.1",
    "--inspector-port",
    String(await freePort()),
    "--var",
    `UPSTREAM_URL:${upstreamUrl}`,
    "--show-interactive-dev-session=false",
  ],
  { stdio: "ignore" },
);
const bareUrl = `http://127.0.0.1:${barePort}`;
try {
  for (let i = 0; ; i++) {
    try {
      await fetch(bareUrl);
      break;
    } catch {
      if (i > 180) throw new Error("the bare passthrough worker did not start within 90 s");
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const post = (url, text, path = "/v1/chat/completions") =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: text }] }),
    }).then((r) => r.text());
  const variants = (text) => ({
    direct: () => post(upstreamUrl, text),
    hop: () => fetch(bareUrl).then((r) => r.text()),
    postHop: () => post(bareUrl, text, "/hop"),
    bare: () => post(bareUrl, text),
    inBundle: () => post(stack.workerUrl, text, "/bench/passthrough"),
    compass: () => post(stack.workerUrl, text),
  });
  const texts = [
    ["Swahili (Latin script: LID's costly case)", "Mji mkuu wa Kenya ni upi na una watu wangapi?"],
    ["Japanese", "光合成の仕組みを簡単に教えてください"],
  ];
  const ROUNDS = 600;
  console.log(
    `\nround trips, ${ROUNDS} interleaved requests per variant (local upstream; workers under wrangler dev):`,
  );
  for (const [label, text] of texts) {
    const run = variants(text);
    const samples = Object.fromEntries(Object.keys(run).map((k) => [k, []]));
    for (let i = 0; i < ROUNDS + 50; i++) {
      for (const [name, call] of Object.entries(run)) {
        const t0 = performance.now();
        await call();
        if (i >= 50) samples[name].push(performance.now() - t0);
      }
    }
    const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summary(v)]));
    const line = (name, what) => `    ${what.padEnd(44)} p50 ${fmt(s[name].p50).padStart(9)}   p99 ${fmt(s[name].p99)}`;
    console.log(`  ${label}:`);
    console.log(line("direct", "direct to the upstream"));
    console.log(line("hop", "GET on a bare worker (the dev server's hop)"));
    console.log(line("postHop", "POST read by a bare worker, no fetch"));
    console.log(line("bare", "through a bare passthrough worker"));
    console.log(line("inBundle", "passthrough inside compass's worker"));
    console.log(line("compass", "through compass"));
    const beyond = (name) => s[name].p50 - s.direct.p50 - s.hop.p50;
    const paired = summary(samples.compass.map((t, i) => t - samples.inBundle[i]));
    console.log(
      `    beyond the hop, p50: bare passthrough ${fmt(beyond("bare"))}, compass ${fmt(beyond("compass"))}; ` +
        `compass − bare ${fmt(s.compass.p50 - s.bare.p50)} (two processes)`,
    );
    console.log(
      `    compass's own added latency (compass − passthrough in its own worker, paired per round): ` +
        `p50 ${fmt(paired.p50)}; difference of the p50s ${fmt(s.compass.p50 - s.inBundle.p50)}`,
    );
    console.log(
      `    of the bare passthrough's: the request body through the dev server ${fmt(s.postHop.p50 - s.hop.p50)}, ` +
        `workerd's outbound fetch and response ${fmt(s.bare.p50 - s.postHop.p50 - s.direct.p50)}`,
    );
  }
} finally {
  bare.kill("SIGTERM");
  await stack.stop();
  upstream.close();
  rmSync(benchConfig, { force: true });
}
