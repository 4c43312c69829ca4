// The main job, locally: a local OpenAI-compatible upstream, the compass worker under `wrangler dev` (workerd) with
// the demo manifest seeded into its local R2 bucket, and requests in several languages routed and printed.
// Usage: npm run demo
import { startLocalStack } from "./local-stack.mjs";

const { workerUrl: base, upstreamUrl, stop: shutdown } = await startLocalStack();

const requests = [
  "Mji mkuu wa Kenya ni upi na una watu wangapi?",
  "Wie funktioniert die Photosynthese bei Pflanzen?",
  "光合成の仕組みを簡単に教えてください",
  "भारत की राजधानी क्या है और वहाँ कितने लोग रहते हैं?",
  "Ẹ jọ̀wọ́, ṣé ẹ lè ràn mí lọ́wọ́ láti kọ lẹ́tà yìí?",
  "Какая столица Канады?",
  "12345 + 678 = ?",
];
console.log(`compass worker on ${base} -> upstream ${upstreamUrl}
`);
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
if (process.env.COMPASS_CLUSTER_MODEL_SW) {
  console.log("\n/v1/route with the trainer's sw cluster model (sketch space, nearest centroid in WASM):");
  for (const text of [
    "Ninapikaje pilau ya wali nyumbani?",
    "Tafadhali nieleze jinsi ya kutatua mlinganyo wa pili.",
    "Je, kesho kutakuwa na mvua kubwa?",
  ]) {
    const res = await fetch(`${base}/v1/route`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text }),
    });
    const { language, adapter, cluster } = await res.json();
    console.log(
      `  ${language} ${adapter}  cluster ${cluster?.cluster} (distance ${cluster?.distance.toFixed(3)}, margin ${cluster?.margin.toFixed(3)}, model v${cluster?.modelVersion})  ${text}`,
    );
  }
}
await shutdown();
