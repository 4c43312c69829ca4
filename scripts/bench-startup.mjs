// npm run bench:startup — the worker's start-up in workerd. `wrangler check startup` builds the worker as
// `wrangler deploy` would, starts it in local workerd and records a CPU profile of its global scope (module
// evaluation: the language-ID tables, zod schemas, the kernels' WASM instance). This prints the CPU time in that
// profile (its span less idle samples) against Workers' 1 s start-up limit, and the source modules it went to: the
// bundle is built unminified here, and a dry-run build of the same bundle maps each sampled line to the module that
// esbuild's `// path` comment names above it. One machine's figure: Cloudflare's CPUs are not this one's.
// Usage: npm run bench:startup [-- --runs N]   (N from 1 to 20, default 3; the median run is reported)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./import-ts.mjs";

const STARTUP_LIMIT_MS = 1000;
const UNMINIFIED = "--minify=false";
const runs = process.argv.includes("--runs") ? Number(process.argv[process.argv.indexOf("--runs") + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
  console.error(`bench-startup: --runs takes an integer from 1 to 20 (got: ${process.argv.slice(2).join(" ")})`);
  process.exit(2);
}

/** Runs wrangler on the top-level environment; its output is shown only when it fails. */
function wrangler(args) {
  try {
    execFileSync("npx", ["wrangler", ...args, "--env="], { cwd: root, stdio: "pipe", timeout: 180_000 });
  } catch (error) {
    throw new Error(`wrangler ${args.join(" ")} failed\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
}

/** The bundle's module boundaries: [line, path] for each `// path` comment esbuild writes before a module. */
function moduleLines(bundle) {
  const out = [];
  bundle.split("\n").forEach((line, i) => {
    const match = /^\/\/ ((?:src|kernels|adapters|node_modules)\/\S+)$/.exec(line);
    if (match) out.push([i, match[1]]);
  });
  return out;
}

function moduleAt(modules, line) {
  let found = "(bundle prelude)";
  for (const [start, path] of modules) {
    if (start > line) break;
    found = path;
  }
  return found.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*/, "$1 (npm)");
}

/** CPU milliseconds of a profile (idle samples left out), in total and by source module. */
function cpuByModule(profile, modules) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const out = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id);
    if (!frame || frame.functionName === "(idle)") return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const key = frame.url ? moduleAt(modules, frame.lineNumber) : frame.functionName;
    out.set(key, (out.get(key) ?? 0) + ms);
    total += ms;
  });
  return { total, modules: [...out].sort((a, b) => b[1] - a[1]) };
}

const dir = mkdtempSync(join(tmpdir(), "compass-startup-"));
const results = [];
try {
  wrangler(["deploy", "--dry-run", "--outdir", join(dir, "bundle"), UNMINIFIED]);
  const modules = moduleLines(readFileSync(join(dir, "bundle", "index.js"), "utf8"));
  for (let run = 0; run < runs; run++) {
    const outfile = join(dir, `startup-${run}.cpuprofile`);
    wrangler(["check", "startup", "--outfile", outfile, `--args=${UNMINIFIED}`]);
    results.push(cpuByModule(JSON.parse(readFileSync(outfile, "utf8")), modules));
  }
} catch (error) {
  console.error(`bench-startup: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (process.exitCode) process.exit();
results.sort((a, b) => a.total - b.total);
const median = results[Math.floor(results.length / 2)];
console.log(
  `worker start-up CPU in local workerd (${runs} runs): best ${results[0].total.toFixed(0)} ms, median ` +
    `${median.total.toFixed(0)} ms — ${((100 * median.total) / STARTUP_LIMIT_MS).toFixed(0)}% of Workers' ` +
    `${STARTUP_LIMIT_MS} ms start-up limit`,
);
console.log("where the median run's time went (ms):");
for (const [name, ms] of median.modules.slice(0, 12)) console.log(`  ${ms.toFixed(1).padStart(7)}  ${name}`);
