// Start the local stack shared by the demo, the benches and the end-to-end tests: a local OpenAI-compatible upstream
// and the compass worker under `wrangler dev` (workerd), with the demo manifest in the worker's local R2 bucket.
// Every port is a free one unless asked for (other people on the machine run wrangler dev too).
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { startLocalUpstream } from "./local-upstream.mjs";

const root = new URL("..", import.meta.url).pathname;
/** The admin token the local stack's worker accepts (local only; a deployment sets the secret ADMIN_TOKEN). */
export const LOCAL_ADMIN_TOKEN = "local-admin-token-change-me";
const wrangler = join(root, "node_modules/.bin/wrangler");

/** A port nothing listens on now, from the kernel. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * @param {object} [options]
 * @param {number} [options.workerPort] 0: a free port
 * @param {number} [options.upstreamPort] the local upstream's port (0: a free one); ignored with `upstreamUrl`
 * @param {string} [options.upstreamUrl] an upstream already running (else the local upstream is started)
 * @param {object} [options.upstream] options of the local upstream (`baseModel`, `failing`, `apiKey`)
 * @param {string} [options.persist] wrangler's local state directory (R2, Durable Objects, queues)
 * @param {string} [options.adminToken] the worker's ADMIN_TOKEN
 * @param {boolean} [options.seed] false: start with an empty bucket (a demo that publishes through the admin API)
 * @param {Record<string, string>} [options.vars] extra worker variables (override the local defaults)
 * @param {string} [options.manifest] the manifest file put at manifest.json
 * @param {string} [options.config] the wrangler config to run (default: the project's wrangler.toml)
 * @param {string} [options.clusterModel] the sw cluster model to publish at clusters/sw/demo.json (default:
 *   $COMPASS_CLUSTER_MODEL_SW); it makes the default manifest the one that points sw at it
 */
export async function startLocalStack({
  workerPort = 0,
  upstreamPort = 0,
  upstreamUrl,
  upstream: upstreamOptions = {},
  persist = join(root, ".wrangler/local-state"),
  adminToken = LOCAL_ADMIN_TOKEN,
  seed = true,
  vars = {},
  manifest,
  clusterModel = process.env.COMPASS_CLUSTER_MODEL_SW,
  config,
} = {}) {
  // With the trainer's sw cluster model at hand, the manifest that points sw at it.
  manifest ??= clusterModel ? "adapters/demo-manifest-clusters.json" : "adapters/demo-manifest.json";
  const upstream = upstreamUrl ? null : await startLocalUpstream(upstreamPort, upstreamOptions);
  upstreamUrl ??= `http://127.0.0.1:${upstream.address().port}`;
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
  const port = workerPort || (await freePort());
  // What local.env.example holds: the local upstream, no client auth (127.0.0.1 only), an admin token.
  const allVars = {
    UPSTREAM_URL: upstreamUrl,
    AUTH_MODE: "none",
    ADMIN_TOKEN: adminToken,
    TRUST_REGION_HEADER: "true",
    ...vars,
  };
  const dev = spawn(
    wrangler,
    [
      "dev",
      ...(config ? ["--config", config] : []),
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(await freePort()),
      "--persist-to",
      persist,
      ...Object.entries(allVars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
      "--show-interactive-dev-session=false",
    ],
    { stdio: ["ignore", "pipe", "pipe"], cwd: root },
  );
  let log = "";
  dev.stdout.on("data", (d) => {
    log += d;
  });
  dev.stderr.on("data", (d) => {
    log += d;
  });
  const exited = new Promise((done) => dev.on("exit", done));
  const stop = async () => {
    dev.kill("SIGTERM");
    upstream?.close();
    await Promise.race([exited, new Promise((done) => setTimeout(done, 5_000))]);
  };
  const workerUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${workerUrl}/healthz`);
      break;
    } catch {}
    if (i > 180 || dev.exitCode !== null) {
      await stop();
      throw new Error(`wrangler dev did not start within 90 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    workerUrl,
    upstreamUrl,
    stop,
    r2Put,
    persist,
    get log() {
      return log;
    },
  };
}
