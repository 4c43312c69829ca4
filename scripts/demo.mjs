// The main job, locally: a local OpenAI-compatible upstream, the compass worker under `wrangler dev` (workerd) with
// the demo manifest seeded into its local R2 bucket, and requests in several languages routed and printed.
// Usage: npm run demo
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { startLocalUpstream } from "./local-upstream.mjs";

const root = new URL("..", import.meta.url).pathname;
const wrangler = join(root, "node_modules/.bin/wrangler");
const upstreamPort = 8788;
const workerPort = 8787;
const persist = join(root, ".wrangler/demo-state");

const upstream = await startLocalUpstream(upstreamPort);
execFileSync(
  wrangler,
  [
    "r2",
    "object",
    "put",
    "compass-adapters/manifest.json",
    "--file",
    join(root, "adapters/demo-manifest.json"),
    "--local",
    "--persist-to",
    persist,
  ],
  { stdio: "ignore" },
);

const dev = spawn(
  wrangler,
  [
    "dev",
    "--port",
    String(workerPort),
    "--ip",
    "127.0.0.1",
    "--persist-to",
    persist,
    "--var",
    `UPSTREAM_URL:http://127.0.0.1:${upstreamPort}`,
    "--show-interactive-dev-session=false",
  ],
  { stdio: ["ignore", "pipe", "pipe"] },
);
let devLog = "";
dev.stdout.on("data", (d) => {
  devLog += d;
});
dev.stderr.on("data", (d) => {
  devLog += d;
});
const shutdown = () => {
  dev.kill("SIGTERM");
  upstream.close();
};

const base = `http://127.0.0.1:${workerPort}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {}
  if (i > 120) {
    shutdown();
    console.error(devLog);
    throw new Error("wrangler dev did not start within 60 s");
  }
  await new Promise((r) => setTimeout(r, 500));
}

const requests = [
  "Mji mkuu wa Kenya ni upi na una watu wangapi?",
  "Wie funktioniert die Photosynthese bei Pflanzen?",
  "光合成の仕組みを簡単に教えてください",
  "भारत की राजधानी क्या है और वहाँ कितने लोग रहते हैं?",
  "Ẹ jọ̀wọ́, ṣé ẹ lè ràn mí lọ́wọ́ láti kọ lẹ́tà yìí?",
  "Какая столица Канады?",
  "12345 + 678 = ?",
];
console.log(`compass worker on ${base} -> upstream http://127.0.0.1:${upstreamPort}\n`);
console.log("lang  conf   adapter            reason            upstream answered");
for (const text of requests) {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: text }] }),
  });
  const body = await res.json();
  const h = (n) => res.headers.get(n) ?? "";
  console.log(
    `${h("x-compass-language").padEnd(5)} ${h("x-compass-confidence").padEnd(6)} ${h("x-compass-adapter").padEnd(18)} ${h("x-compass-reason").padEnd(17)} ${body.choices?.[0]?.message?.content ?? JSON.stringify(body)}`,
  );
}
const stream = await fetch(`${base}/v1/chat/completions`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ stream: true, messages: [{ role: "user", content: "Tafadhali nieleze kuhusu mvua." }] }),
});
console.log(
  `\nstreaming (${stream.headers.get("content-type")}, adapter ${stream.headers.get("x-compass-adapter")}): ${(await stream.text()).split("\n\n").filter(Boolean).length} SSE events`,
);
shutdown();
