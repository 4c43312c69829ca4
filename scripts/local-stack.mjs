// Start the local stack shared by the demo and the benches: a local OpenAI-compatible upstream and the compass worker
// under `wrangler dev` (workerd), with the demo manifest in the worker's local R2 bucket.
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { startLocalUpstream } from "./local-upstream.mjs";

const root = new URL("..", import.meta.url).pathname;
/** The admin token the local stack's worker accepts (local only; a deployment sets the secret ADMIN_TOKEN). */
export const LOCAL_ADMIN_TOKEN = "local-admin-token-change-me";
const wrangler = join(root, "node_modules/.bin/wrangler");

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Options: the two ports; `persist`, the local state directory (R2, Durable Objects, queues); `adminToken`; `seed`
 * false to start with an empty bucket (the closed-loop demo publishes through the admin API instead); `upstream`,
 * options of the local upstream.
 */
export async function startLocalStack({
  upstreamPort = 8788,
  workerPort = 8787,
  persist = join(root, ".wrangler/local-state"),
  adminToken = LOCAL_ADMIN_TOKEN,
  seed = true,
  upstream: upstreamOptions = {},
} = {}) {
  // With the trainer's sw cluster model at hand, the manifest that points sw at it.
  const clusterModel = process.env.COMPASS_CLUSTER_MODEL_SW;
  const manifest = clusterModel ? "adapters/demo-manifest-clusters.json" : "adapters/demo-manifest.json";
  const upstream = await startLocalUpstream(upstreamPort, upstreamOptions);
  const r2Put = (key, file) =>
    execFileSync(
      wrangler,
      [
        "r2",
        "object",
        "put",
        `compass-adapters/${key}`,
        "--file",
        resolve(root, file),
        "--local",
        "--persist-to",
        persist,
      ],
      { stdio: "ignore" },
    );
  if (seed) {
    r2Put("manifest.json", manifest);
    if (clusterModel) r2Put("clusters/sw/demo.json", clusterModel);
  }
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
      // What local.env.example holds: the local upstream, no client auth (127.0.0.1 only), an admin token.
      "--var",
      `UPSTREAM_URL:http://127.0.0.1:${upstreamPort}`,
      "--var",
      "AUTH_MODE:none",
      "--var",
      `ADMIN_TOKEN:${adminToken}`,
      "--var",
      "TRUST_REGION_HEADER:true",
      "--show-interactive-dev-session=false",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  dev.stdout.on("data", (d) => {
    log += d;
  });
  dev.stderr.on("data", (d) => {
    log += d;
  });
  const stop = () => {
    dev.kill("SIGTERM");
    upstream.close();
  };
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${workerUrl}/healthz`)).ok) break;
    } catch {}
    if (i > 120) {
      stop();
      throw new Error(`wrangler dev did not start within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    workerUrl,
    upstreamUrl: `http://127.0.0.1:${upstreamPort}`,
    stop,
    r2Put,
    get log() {
      return log;
    },
  };
}
