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
  const vars = {
    // What local.env.example holds: the local upstream, no client auth (127.0.0.1 only), an admin token.
    UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}`,
    AUTH_MODE: "none",
    ADMIN_TOKEN: adminToken,
    TRUST_REGION_HEADER: "true",
  };
  let dev;
  try {
    dev = await startWranglerDev({ workerPort, persist, vars });
  } catch (err) {
    upstream.close();
    throw err;
  }
  const { workerUrl } = dev;
  const stop = () => {
    dev.stop();
    upstream.close();
  };
  return {
    workerUrl,
    upstreamUrl: `http://127.0.0.1:${upstreamPort}`,
    stop,
    r2Put,
    get log() {
      return dev.log;
    },
  };
}

/**
 * The compass worker under `wrangler dev` on 127.0.0.1:`workerPort` with `vars`, persisting local state (R2, Durable
 * Objects) under `persist`; resolves once `/healthz` answers (at most `startTimeoutMs`).
 */
export async function startWranglerDev({ workerPort, persist, vars, inspectorPort, startTimeoutMs = 60_000 }) {
  const args = ["dev", "--port", String(workerPort), "--ip", "127.0.0.1", "--persist-to", persist];
  if (inspectorPort) args.push("--inspector-port", String(inspectorPort));
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  args.push("--show-interactive-dev-session=false");
  const child = spawn(wrangler, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => {
    log += d;
  });
  child.stderr.on("data", (d) => {
    log += d;
  });
  const stop = () => child.kill("SIGTERM");
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  for (const deadline = Date.now() + startTimeoutMs; ; ) {
    try {
      if ((await fetch(`${workerUrl}/healthz`, { signal: AbortSignal.timeout(2000) })).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      stop();
      throw new Error(`wrangler dev did not start within ${startTimeoutMs / 1000} s:\n${log.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    workerUrl,
    stop,
    get log() {
      return log;
    },
  };
}
