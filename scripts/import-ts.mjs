// Import the project's TypeScript from Node scripts (benches, the vector generator): bundle with esbuild to a
// temporary ES module, then import it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

export const root = new URL("..", import.meta.url).pathname;

/** Import `contents` (TypeScript module source, resolved from the repository root) as a bundled module. */
export async function importTs(contents) {
  const outfile = join(mkdtempSync(join(tmpdir(), "compass-ts-")), "module.mjs");
  await build({
    stdin: { contents, resolveDir: root, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    outfile,
    logLevel: "silent",
  });
  return import(outfile);
}
