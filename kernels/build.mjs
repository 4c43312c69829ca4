// Build the AssemblyScript kernels to WASM: kernels/build/compass.simd.wasm (v128 SIMD, what the worker ships),
// kernels/build/compass.relaxed.wasm (SIMD plus relaxed SIMD: fused multiply-add, for runtimes that validate it) and
// kernels/build/compass.scalar.wasm (same sources, SIMD disabled: the benchmark's baseline). The .wasm files are
// committed because the worker imports them; `--check` rebuilds in memory and fails if a committed file differs
// from what the sources produce.
// Usage: node kernels/build.mjs [--check]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import asc from "assemblyscript/asc";

const here = new URL(".", import.meta.url).pathname;
const entry = join(here, "assembly/index.ts");
// One place for the flags. --runtime stub: no GC, the wrapper owns memory; --noAssert: preconditions are documented.
const COMMON = [
  "--optimizeLevel",
  "3",
  "--shrinkLevel",
  "0",
  "--runtime",
  "stub",
  "--noAssert",
  "--initialMemory",
  "2",
];
const TARGETS = [
  { file: "compass.simd.wasm", flags: ["--enable", "simd"] },
  { file: "compass.relaxed.wasm", flags: ["--enable", "simd", "--enable", "relaxed-simd"] },
  { file: "compass.scalar.wasm", flags: ["--disable", "simd"] },
];

const check = process.argv.includes("--check");
let failed = false;
mkdirSync(join(here, "build"), { recursive: true });
for (const target of TARGETS) {
  let binary;
  const { error, stderr } = await asc.main([entry, "--outFile", "out.wasm", ...COMMON, ...target.flags], {
    writeFile(name, contents) {
      if (name.endsWith(".wasm")) binary = contents;
    },
  });
  if (error) {
    console.error(stderr.toString());
    throw error;
  }
  const path = join(here, "build", target.file);
  if (check) {
    const same = existsSync(path) && Buffer.compare(readFileSync(path), Buffer.from(binary)) === 0;
    console.log(`${same ? "ok" : "MISMATCH"}  kernels/build/${target.file} (${binary.length} bytes)`);
    failed ||= !same;
  } else {
    writeFileSync(path, binary);
    console.log(`wrote kernels/build/${target.file} (${binary.length} bytes)`);
  }
}
if (failed) {
  console.error("committed kernels differ from their sources: run `npm run build:kernels` and commit kernels/build/");
  process.exit(1);
}
