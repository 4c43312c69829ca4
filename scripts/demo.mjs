// The closed loop, locally, through the real worker (`wrangler dev`, workerd) and its local R2, Durable Objects and
// Queue: publish v1 → multilingual traffic from two regions → one region's Swahili drifts → the edge's drift window
// fires a trigger → `compass-trainer watch` fetches the window, runs the ECDA update and publishes v2 as a canary →
// the guard promotes it → a broken v3 (its upstream fails) is rolled back by the guard. Prints the timeline and writes
// the figure out/demo/loop.png. Run by `make demo` after the trainer steps (scripts/demo.sh).
// Usage: node scripts/demo.mjs OUT_DIR
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort, startLocalStack } from "./local-stack.mjs";
import { requestAt, rng, sendPhase } from "./traffic.mjs";

const root = new URL("..", import.meta.url).pathname;
const out = resolve(process.argv[2] ?? join(root, "out/demo"));
const trainer = join(root, ".venv/bin/compass-trainer");
const token = randomBytes(18).toString("base64url");
const BROKEN = "compass-sw-v3";
/** **[choice]** Canary share and the clean canary requests after which the guard promotes: small enough for a demo. */
const CANARY_SHARE = 0.3;
const AUTO_PROMOTE_AFTER = 60;
/** Most requests any one phase sends before the demo gives up on what it waits for. */
const PHASE_CAP = 6000;

const started = Date.now();
const counter = { done: 0, marks: [] };
const timeline = [];
const seconds = () => ((Date.now() - started) / 1000).toFixed(1).padStart(6);
function mark(event, detail = "", request = counter.done) {
  timeline.push({ at: Date.now(), request, event, detail });
  console.log(`${seconds()} s  request ${String(request).padStart(5)}  ${event.padEnd(10)} ${detail}`);
}

/**
 * Run the trainer; with `onLine`, each stdout line goes there as it comes. Resolves with stdout, or with `killed`
 * when `kill` was called; rejects on a non-zero exit.
 */
function run(args, onLine = null) {
  let child;
  let killed = false;
  const done = new Promise((resolveRun, reject) => {
    child = spawn(trainer, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!onLine) return;
      pending += d;
      const lines = pending.split("\n");
      pending = lines.pop();
      for (const line of lines) onLine(line);
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) =>
      killed
        ? resolveRun("killed")
        : code === 0
          ? resolveRun(stdout)
          : reject(new Error(`compass-trainer ${args[0]} exited ${code}:\n${stderr.slice(-3000)}`)),
    );
  });
  done.kill = () => {
    killed = true;
    child.kill("SIGKILL");
  };
  return done;
}

const traffic = JSON.parse(readFileSync(join(out, "traffic.json"), "utf-8"));
const random = rng(7);
const [upstreamPort, workerPort] = [await freePort(), await freePort()];
const persist = join(out, "wrangler-state");
rmSync(persist, { recursive: true, force: true });
rmSync(join(out, "watch"), { recursive: true, force: true });
console.log("starting the local upstream and the compass worker under wrangler dev …");
const stack = await startLocalStack({
  upstreamPort,
  workerPort,
  persist,
  adminToken: token,
  seed: false,
  upstream: { failing: [BROKEN] },
});
const base = stack.workerUrl;
const admin = async (path, init = {}) => {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
    signal: AbortSignal.timeout(15_000),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
};
const rollout = () => admin("/admin/rollout/sw");
const triggers = async () => (await admin("/admin/triggers")).triggers;

// Two regions send the same mix; one of them (eu) moves its Swahili to the topics sw was thin in.
const mix = (euSw) => ({
  regions: { eu: { sw: euSw, weight: 1 }, af: { sw: traffic.sw, weight: 1 } },
  otherShare: 0.25,
  unknownShare: 0.05,
});
const phase = async (name, requests, regionsMix, stopWhen) => {
  const stats = await sendPhase(
    base,
    { requests, ...regionsMix },
    { random, others: traffic.others, counter, stopWhen },
  );
  const reasons = Object.entries(stats.reason)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  mark("traffic", `${name}: ${stats.sent} requests (${reasons}; status ${JSON.stringify(stats.status)})`);
  return stats;
};

try {
  console.log(`worker ${base}, upstream ${stack.upstreamUrl}; admin token generated for this run\n`);
  console.log("     time  request  event      detail");
  await run(["publish", join(out, "adapter-sw-v1"), "--to", base, "--token", token]);
  mark("publish", "compass-sw-v1 is sw's stable adapter; its cluster model (60 clusters) feeds the drift windows");

  // Both regions fill their windows (1,000 samples each) with traffic like the usage proxy: no trigger.
  await phase("steady", 3000, mix(traffic.sw));
  // eu drifts; watch for the trigger (the windows check every 100 samples; flushes and the queue add seconds).
  let fired = [];
  await phase("eu drifts", PHASE_CAP, mix(traffic.swDrifted), async () => {
    fired = await triggers();
    return fired.length > 0;
  });
  for (let i = 0; fired.length === 0 && i < 30; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    fired = await triggers();
  }
  if (fired.length === 0) throw new Error("no drift trigger arrived");
  for (const t of fired)
    mark(
      "trigger",
      `${t.id}: JS ${t.js.toFixed(3)} > θ ${t.theta.toFixed(3)} over ${t.windowSamples} samples`,
      requestAt(counter, Date.parse(t.at)),
    );

  const watchArgs = [
    "watch",
    "--from",
    base,
    "--token",
    token,
    "--once",
    "--json",
    "--language",
    "sw",
    "--base",
    join(out, "tiny-base"),
    "--adapter",
    join(out, "adapter-sw-v1"),
    "--work",
    join(out, "watch"),
    "--n-clusters",
    "60",
    "--epochs",
    "4",
    "--canary",
    String(CANARY_SHARE),
    "--auto-promote-after",
    String(AUTO_PROMOTE_AFTER),
    "--sample",
  ];
  const watchEvents = [];
  const onWatchLine = (line) => {
    if (!line.startsWith("{")) return;
    const e = JSON.parse(line);
    if (e.event === "log") return;
    watchEvents.push(e.event);
    const hidden = ["trigger", "language", "event", "window", "version_dir", "published"];
    const facts = Object.entries(e)
      .filter(([k]) => !hidden.includes(k))
      .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`)
      .join(" ");
    mark(
      e.event === "published" ? "canary" : `watch:${e.event}`,
      e.event === "published"
        ? `compass-sw-v${e.version} takes ${CANARY_SHARE * 100}% of sw (${e.trigger})`
        : `${e.trigger} ${facts}`,
    );
  };
  // The first watch is killed (SIGKILL) half a second into training version 2 (training takes seconds even on a quiet
  // machine); the second resumes the same trigger without fetching it again.
  let killTimer = null;
  const first = run(watchArgs, (line) => {
    onWatchLine(line);
    if (watchEvents.at(-1) === "training" && !killTimer) killTimer = setTimeout(() => first.kill(), 500);
  });
  if ((await first) === "killed")
    mark(
      "kill",
      watchEvents.includes("published")
        ? "watch killed (SIGKILL) only after it had published; started again"
        : "watch killed (SIGKILL) while training version 2; started again",
    );
  watchEvents.length = 0;
  await run(watchArgs, onWatchLine);
  const canaries = (await rollout()).history.filter((e) => e.action === "canary");
  if (watchEvents.includes("fetched") || canaries.length !== 1)
    throw new Error(
      `the restarted watch did not finish the trigger once: ${watchEvents} / ${canaries.length} canaries`,
    );
  mark("resumed", `the restarted watch finished ${fired[0].id} once: steps ${watchEvents.join(" → ")}, one canary`);

  // Traffic goes on; the guard promotes v2 after AUTO_PROMOTE_AFTER clean canary requests.
  let state = await rollout();
  await phase("canary v2", PHASE_CAP, mix(traffic.swDrifted), async () => {
    state = await rollout();
    return state.stable?.name === "compass-sw-v2";
  });
  const promoted = state.history.find((e) => e.action === "promote");
  if (!promoted) throw new Error(`v2 was not promoted: ${JSON.stringify(state.guard)}`);
  mark("promote", `by ${promoted.actor}: ${promoted.reason}`);

  // A deliberately broken v3: v2's files under version 3; the upstream fails every request for its name.
  cpSync(join(out, "watch/versions/sw/compass-sw-v2@2"), join(out, "adapter-sw-v3"), { recursive: true });
  const metadataPath = join(out, "adapter-sw-v3/compass_adapter.json");
  writeFileSync(metadataPath, JSON.stringify({ ...JSON.parse(readFileSync(metadataPath, "utf-8")), version: 3 }));
  await run(["publish", join(out, "adapter-sw-v3"), "--to", base, "--token", token]);
  await run([
    "rollout",
    "canary",
    "--language",
    "sw",
    "--version",
    "3",
    "--name",
    BROKEN,
    "--share",
    String(CANARY_SHARE),
    "--to",
    base,
    "--token",
    token,
  ]);
  mark("canary", `${BROKEN} (its upstream answers 500) takes ${CANARY_SHARE * 100}% of sw`);
  await phase("canary v3", PHASE_CAP, mix(traffic.swDrifted), async () => {
    state = await rollout();
    return !state.canary;
  });
  const rolledBack = state.history.find((e) => e.action === "rollback");
  if (!rolledBack) throw new Error(`v3 was not rolled back: ${JSON.stringify(state.guard)}`);
  const f = rolledBack.figures;
  mark(
    "rollback",
    `by ${rolledBack.actor}: ${rolledBack.reason}` +
      (f
        ? ` (errors canary ${f.canary.errors}/${f.canary.requests}, stable ${f.stable.errors}/${f.stable.requests})`
        : ""),
  );

  // Each region's checks, placed on the request axis by the time they ran.
  const drift = await admin("/v1/drift/sw?timeline=2000");
  const series = Object.fromEntries(
    Object.entries(drift.regions).map(([region, r]) => [
      region,
      r.timeline.map((c) => ({ ...c, request: requestAt(counter, Date.parse(c.at)) })),
    ]),
  );
  const timelineFile = join(out, "loop-timeline.json");
  writeFileSync(
    timelineFile,
    JSON.stringify({ requests: counter.done, events: timeline, series, rollout: state }, null, 1),
  );
  await new Promise((resolvePlot, reject) =>
    spawn(
      join(root, ".venv/bin/python"),
      [join(root, "trainer/scripts/plot_loop.py"), timelineFile, join(out, "loop.png")],
      {
        stdio: "inherit",
      },
    ).on("close", (code) => (code === 0 ? resolvePlot() : reject(new Error(`plot_loop.py exited ${code}`)))),
  );
  console.log(`\nstable sw adapter now: ${state.stable.name}@${state.stable.version}; history:`);
  for (const e of [...state.history].reverse()) {
    console.log(`  r${e.revision} ${e.action.padEnd(8)} by ${e.actor.padEnd(7)} ${e.reason}`);
    const f = e.figures;
    if (f)
      console.log(
        `       stable ${f.stable.version}: ${f.stable.errors}/${f.stable.requests} errors | canary ${f.canary.version}: ` +
          `${f.canary.errors}/${f.canary.requests} errors; error-rate z ${f.errorRateZ?.toFixed(2) ?? "–"} ` +
          `(bound ${f.policy.zCritical}), latency ratio ${f.latencyRatio?.toFixed(2) ?? "–"} (bound ${f.policy.maxLatencyRatio})`,
      );
  }
  console.log(`\nthe loop took ${((Date.now() - started) / 1000).toFixed(0)} s and ${counter.done} requests`);
  console.log(`figure → ${join(out, "loop.png")}   timeline → ${timelineFile}`);
} finally {
  await stack.stop();
}
