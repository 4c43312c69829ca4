// The serverless rollout, end to end on this machine: the compass worker under `wrangler dev` (workerd, a fresh local
// R2 bucket and Durable Objects) in front of a local upstream that, like vLLM, serves only the adapters loaded into
// it; adapters published with `compass-trainer publish` and rolled out with `compass-trainer rollout`.
//   1. the first adapter is published and becomes sw's stable adapter;
//   2. the second takes 10% of sw traffic as a canary and the guard promotes it after clean requests;
//   3. a third, which the upstream never loaded (every request to it fails), is published as a 10% canary and the
//      guard rolls it back by itself;
//   4. GET /admin/rollout/sw prints the history with the figures behind each decision.
// Usage: node scripts/rollout-demo.mjs ADAPTER_V1 ADAPTER_V2 (trained adapter directories, e.g. from `make demo`)
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startLocalStack } from "./local-stack.mjs";

const root = new URL("..", import.meta.url).pathname;
const trainer = join(root, ".venv/bin/compass-trainer");
const TOKEN = "rollout-demo-admin-token";
// How long any one request may take.
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_REQUESTS_PER_PHASE = 4000;
const CONCURRENCY = 8;

const [v1Dir, v2Dir] = process.argv.slice(2).map((p) => resolve(p));
if (!v1Dir || !v2Dir) {
  console.error("usage: node scripts/rollout-demo.mjs ADAPTER_V1 ADAPTER_V2");
  process.exit(2);
}

const baseModel = JSON.parse(readFileSync(join(v1Dir, "adapter_config.json"), "utf8")).base_model_name_or_path;
const work = mkdtempSync(join(tmpdir(), "compass-rollout-"));
// A fresh bucket (no demo manifest): everything the worker serves is published below. Isolates re-read the manifest
// every 200 ms here, so a guard decision reaches traffic at once.
const stack = await startLocalStack({
  upstream: { baseModel },
  persist: join(work, "state"),
  adminToken: TOKEN,
  seed: false,
  vars: { MANIFEST_TTL_MS: "200" },
});
const { workerUrl: worker, upstreamUrl } = stack;
let stopped = false;
const stop = async () => {
  if (stopped) return;
  stopped = true;
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
};
// On an early exit (a failed command), wrangler dev and the upstream are stopped all the same.
process.on("exit", () => void stop());

const ct = (...args) => {
  console.log(`$ compass-trainer ${args.join(" ").replace(TOKEN, "$TOKEN")}`);
  const out = execFileSync(trainer, [...args, "--to", worker, "--token", TOKEN], { cwd: root, encoding: "utf8" });
  return out;
};
const status = async () =>
  (await fetch(`${worker}/admin/rollout/sw`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
/** Load an adapter into the upstream, as an operator does on vLLM (`VLLM_ALLOW_RUNTIME_LORA_UPDATING=True`). */
const load = async (name, path) => {
  const res = await fetch(`${upstreamUrl}/v1/load_lora_adapter`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ lora_name: name, lora_path: path }),
  });
  console.log(`upstream: POST /v1/load_lora_adapter ${name} → ${res.status}`);
};

const prompts = [
  "Mji mkuu wa Kenya ni upi na una watu wangapi?",
  "Tafadhali nieleze jinsi mvua inavyonyesha.",
  "Ninapikaje pilau ya wali nyumbani?",
  "Je, kesho kutakuwa na mvua kubwa mjini Mombasa?",
];

/** Send sw traffic until `done(status)` holds (checked every 50 requests); count what served it. */
async function traffic(done) {
  const served = {};
  let sent = 0;
  let finished = false;
  const one = async () => {
    const res = await fetch(`${worker}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: prompts[sent % prompts.length] }] }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    const key = `${res.headers.get("x-compass-adapter")} ${res.status}`;
    served[key] = (served[key] ?? 0) + 1;
  };
  while (!finished && sent < MAX_REQUESTS_PER_PHASE) {
    for (let i = 0; i < 50; i += CONCURRENCY) {
      await Promise.all(Array.from({ length: CONCURRENCY }, one));
      sent += CONCURRENCY;
    }
    finished = done(await status());
  }
  return { sent, served, finished };
}

const show = ({ sent, served }) =>
  `${sent} requests: ${Object.entries(served)
    .map(([k, n]) => `${k} ×${n} (${((100 * n) / sent).toFixed(1)}%)`)
    .join(", ")}`;

console.log(`\ncompass worker ${worker} (wrangler dev), upstream ${upstreamUrl} serving base ${baseModel}\n`);
console.log("== 1. publish the first adapter: it becomes sw's stable adapter");
console.log(ct("publish", v1Dir).trim());
const v1 = (await status()).stable;
await load(v1.name, join(v1Dir));

console.log("\n== 2. publish the second; canary at 10% of sw traffic; the guard promotes it after 60 clean requests");
console.log(ct("publish", v2Dir).trim());
const v2Version = JSON.parse(readFileSync(join(v2Dir, "compass_adapter.json"), "utf8")).version;
const v2Name = `compass-sw-v${v2Version}`;
await load(v2Name, v2Dir);
ct(
  "rollout",
  "canary",
  "--language",
  "sw",
  "--version",
  String(v2Version),
  "--share",
  "0.1",
  "--auto-promote-after",
  "60",
  "--min-samples",
  "30",
);
const promoted = await traffic((s) => !s.canary);
console.log(show(promoted));
const afterPromote = await status();
const { stable: s1, canary: c1 } = afterPromote.history[0].figures;
console.log(
  `while it ran, the canary served ${c1.requests} of ${s1.requests + c1.requests} sw requests (${((100 * c1.requests) / (s1.requests + c1.requests)).toFixed(1)}%); ` +
    `stable is now ${afterPromote.stable.name}@${afterPromote.stable.version} (${afterPromote.history[0].actor}: ${afterPromote.history[0].reason})`,
);

console.log("\n== 3. a broken version (never loaded into the upstream) as a 10% canary: the guard rolls it back");
const broken = join(work, "adapter-broken");
cpSync(v2Dir, broken, { recursive: true });
const meta = JSON.parse(readFileSync(join(broken, "compass_adapter.json"), "utf8"));
writeFileSync(join(broken, "compass_adapter.json"), JSON.stringify({ ...meta, version: Number(v2Version) + 1 }));
console.log(ct("publish", broken, "--canary", "0.1").trim());
// publish --canary uses the guard's defaults (50 requests per arm); its broken canary fails every request.
const rolledBack = await traffic((s) => !s.canary);
console.log(show(rolledBack));

console.log("\n== 4. GET /admin/rollout/sw: the history, newest first, with the figures behind each decision");
const final = await status();
console.log(
  `stable ${final.stable.name}@${final.stable.version}, canary ${final.canary ? final.canary.adapter.name : "none"}`,
);
for (const e of final.history) {
  const to = e.to.canary ? `canary ${e.to.canary.name}` : `stable ${e.to.stable?.name}`;
  console.log(`  r${e.revision} ${e.at} ${e.actor.padEnd(6)} ${e.action.padEnd(8)} → ${to}  (${e.reason})`);
  if (e.figures) {
    const f = e.figures;
    const arm = (a) =>
      `${a.version}: n=${a.requests} errors=${a.errors} (${(100 * a.errorRate).toFixed(1)}%) ttfb≈${a.ttfbGeoMeanMs?.toFixed(1) ?? "–"} ms`;
    console.log(`       stable ${arm(f.stable)} | canary ${arm(f.canary)}`);
    console.log(
      `       error-rate z=${f.errorRateZ} (bound ${f.policy.zCritical}), latency ratio ${f.latencyRatio} (bound ${f.policy.maxLatencyRatio}), min samples ${f.policy.minSamples}`,
    );
  }
}
const ok = promoted.finished && rolledBack.finished && final.stable.version === String(v2Version) && !final.canary;
console.log(ok ? "\nrollout demo: canary promoted, broken canary rolled back by the guard" : "\nrollout demo FAILED");
await stop();
process.exit(ok ? 0 : 1);
