// The drift telemetry end to end on the local stack (worker under `wrangler dev`, local upstream, free ports, fresh
// local state): Swahili traffic from two regions, `eu` and `af` (x-compass-region, trusted locally through
// TRUST_REGION_HEADER=true). Both start like the usage proxy; then `af` drifts to the topics sw's training data was
// thin in (cooking, math) while `eu` stays. Exactly one trigger must fire, for `af`, and none for `eu` or the rollup.
// It then shows the trigger in GET /admin/triggers, the regions in GET /v1/drift/sw, the picture, and the window
// file, which the trainer's data reader (the one `compass-trainer update --window` uses) must accept.
//
// Usage: node scripts/drift-scenario.mjs [--cluster-model cluster_model.json] [--out out/drift-scenario]
//   The default cluster model is the shared drift vector's (test/vectors/drift-sw.json): one cluster per topic of the
//   sample data, cooking and math thin in P_ref. With `make demo`'s out/demo/adapter-sw-v1/cluster_model.json instead,
//   the trained model monitors.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { freePort, LOCAL_ADMIN_TOKEN, startLocalStack } from "./local-stack.mjs";

const root = new URL("..", import.meta.url).pathname;
const { values: args } = parseArgs({
  options: { "cluster-model": { type: "string" }, out: { type: "string", default: "out/drift-scenario" } },
});
const out = resolve(root, args.out);
mkdirSync(out, { recursive: true });

// The sample data's Swahili texts: usage-like traffic, and the drift to cooking and math.
const rows = (name) =>
  readFileSync(join(root, "trainer/compass_trainer/data", name), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line))
    .filter((r) => r.language_code === "swh");
const steady = rows("usage.jsonl").map((r) => r.inputs);
const drifted = rows("pool.jsonl")
  .filter((r) => r.topic === "cooking" || r.topic === "math")
  .map((r) => r.inputs);
let seed = 8;
const pick = (texts) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return texts[seed % texts.length];
};

const state = mkdtempSync(join(tmpdir(), "compass-drift-"));
let clusterModel = args["cluster-model"] && resolve(args["cluster-model"]);
if (!clusterModel) {
  clusterModel = join(state, "cluster_model.json");
  const vector = JSON.parse(readFileSync(join(root, "test/vectors/drift-sw.json"), "utf8"));
  writeFileSync(clusterModel, JSON.stringify(vector.clusterModel));
}
const model = JSON.parse(readFileSync(clusterModel, "utf8"));

const stack = await startLocalStack({
  upstreamPort: await freePort(),
  workerPort: await freePort(),
  persist: join(state, "wrangler"),
  clusterModel,
});
const admin = { authorization: `Bearer ${LOCAL_ADMIN_TOKEN}` };
const getJson = async (path) => {
  const res = await fetch(`${stack.workerUrl}${path}`, { headers: admin });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};
const chat = async (region, text) => {
  const res = await fetch(`${stack.workerUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-compass-region": region },
    body: JSON.stringify({ messages: [{ role: "user", content: text }] }),
  });
  await res.text();
  if (!res.ok) throw new Error(`chat from ${region}: ${res.status}`);
};
/**
 * The texts the worker routes as Swahili: a few short ones are identified as another language or with low confidence,
 * and telemetry counts only requests routed as their language.
 */
async function swahiliOnly(texts) {
  const langs = await Promise.all(
    texts.map(async (text) => {
      const res = await fetch(`${stack.workerUrl}/v1/route`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text }),
      });
      const decision = await res.json();
      return decision.reason === "low-confidence" ? null : decision.language;
    }),
  );
  return texts.filter((_, i) => langs[i] === "sw");
}
/** Send `plan` ([region, text][]) in order, eight in flight. */
async function send(plan) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < plan.length) {
        const [region, text] = plan[next++];
        await chat(region, text);
      }
    }),
  );
}

let failed = false;
const expect = (ok, message) => {
  console.log(`${ok ? "  ok  " : "  FAIL"} ${message}`);
  if (!ok) failed = true;
};

try {
  console.log(
    `worker ${stack.workerUrl}, sw cluster model ${model.version} (K=${model.reference.length}, θ ${model.theta})`,
  );
  const usable = { steady: await swahiliOnly(steady), drifted: await swahiliOnly(drifted) };
  console.log(`${usable.steady.length} usage-like and ${usable.drifted.length} cooking/math texts identified as sw`);
  // Phase 1: both regions like the usage proxy, enough to fill both windows (1000 each).
  const phase1 = Array.from({ length: 1100 }, () => [
    ["eu", pick(usable.steady)],
    ["af", pick(usable.steady)],
  ]).flat();
  // Phase 2: af drifts to cooking and math; fewer than a window more, so a restarted window cannot fire again.
  const phase2 = Array.from({ length: 800 }, () => [
    ["eu", pick(usable.steady)],
    ["af", pick(usable.drifted)],
  ]).flat();
  const t0 = performance.now();
  await send(phase1);
  await send(phase2);
  console.log(`${phase1.length + phase2.length} chat requests in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Isolates flush within 2 s; the window's alarm sends the trigger; the queue consumer records it.
  let triggers = [];
  for (let i = 0; i < 60 && triggers.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 500));
    triggers = (await getJson("/admin/triggers")).triggers;
  }
  await new Promise((r) => setTimeout(r, 3000)); // room for a wrong second trigger to show up
  triggers = (await getJson("/admin/triggers")).triggers;
  writeFileSync(join(out, "triggers.json"), `${JSON.stringify(triggers, null, 2)}\n`);

  const drift = await getJson("/v1/drift/sw");
  writeFileSync(join(out, "drift-sw.json"), `${JSON.stringify(drift, null, 2)}\n`);
  console.log("\nGET /v1/drift/sw");
  for (const [region, r] of Object.entries(drift.regions)) {
    const deferred = r.timeline.filter((c) => c.outcome === "deferred").length;
    console.log(
      `  ${region.padEnd(4)} samples ${String(r.totalSamples).padStart(5)}  window ${String(r.samples).padStart(4)}  ` +
        `JS ${r.js === null ? "  –  " : r.js.toFixed(3)}  θ ${r.theta.toFixed(3)}  triggers ${r.triggers}` +
        (deferred ? `  (over θ ${deferred}× but explained by one region: deferred)` : ""),
    );
  }
  const chart = await fetch(`${stack.workerUrl}/v1/drift/sw/chart.svg`, { headers: admin });
  writeFileSync(join(out, "drift-sw.svg"), await chart.text());

  console.log("\nGET /admin/triggers");
  for (const t of triggers)
    console.log(
      `  ${t.id}  region ${t.region}  JS ${t.js.toFixed(3)} > θ ${t.theta.toFixed(3)}  window ${t.windowKey}`,
    );
  expect(triggers.length === 1, `exactly one trigger (${triggers.length})`);
  expect(triggers[0]?.region === "af", "the trigger is the drifting region's (af)");
  expect(drift.regions.eu?.triggers === 0 && drift.regions.all?.triggers === 0, "none for eu, none for the rollup");
  expect(drift.regions.af?.triggers === 1, "GET /v1/drift/sw counts it for af");
  const sent = phase1.length / 2 + phase2.length / 2;
  expect(
    drift.regions.eu?.totalSamples === sent && drift.regions.af?.totalSamples === sent,
    `every request counted: ${sent} per region, ${2 * sent} in the rollup (${drift.regions.all?.totalSamples})`,
  );

  const key = triggers[0]?.windowKey;
  if (key) {
    const windowFile = join(out, "window.jsonl");
    execFileSync(
      join(root, "node_modules/.bin/wrangler"),
      [
        "r2",
        "object",
        "get",
        `compass-adapters/${key}`,
        "--file",
        windowFile,
        "--local",
        "--persist-to",
        stack.persist,
      ],
      { stdio: "ignore" },
    );
    // The reader and schema `compass-trainer update --window` uses (cli.py: Schema(target_field=None, ...)).
    const check = execFileSync(
      join(root, ".venv/bin/python"),
      [
        "-c",
        "import sys; from pathlib import Path; from compass_trainer.data import Schema, read_examples; " +
          "rows = read_examples(Path(sys.argv[1]), Schema(target_field=None, language_field=None)); " +
          "print(len(rows), sum(1 for r in rows if r.text))",
        windowFile,
      ],
      { encoding: "utf8" },
    ).trim();
    const [n, withText] = check.split(" ").map(Number);
    const drifts = readFileSync(windowFile, "utf8")
      .trim()
      .split("\n")
      .filter((line) => drifted.includes(JSON.parse(line).inputs)).length;
    expect(n > 0 && n === withText, `the trainer reads ${n} window texts from ${key}`);
    console.log(`        ${drifts} of them are cooking/math requests (the drift)`);
  } else expect(false, "the trigger names a window file");
  console.log(`\nwrote ${out}/{triggers.json, drift-sw.json, drift-sw.svg, window.jsonl}`);
  console.log(
    "next: compass-trainer update --adapter out/demo/adapter-sw-v1 --base out/demo/tiny-base " +
      `--window ${join(args.out, "window.jsonl")} --previous-data out/demo/select-sw/selected.jsonl --sample --out out/sw-v2`,
  );
} catch (err) {
  failed = true;
  console.error(err);
  console.error(stack.log.slice(-4000));
} finally {
  await stack.stop();
  rmSync(state, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
