// Generate JSON Schema from the zod contracts in adapters/ (adapters/index.ts) into adapters/schema/ and the
// trainer's packaged copy. `--check` fails when a committed file differs from what the sources generate.
// Usage: npm run schemas [-- --check]
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { importTs, root } from "./import-ts.mjs";

const check = process.argv.includes("--check");
const { CONTRACTS, toJSONSchema } = await importTs(
  `export { CONTRACTS } from "./adapters/index"; export { toJSONSchema } from "zod";`,
);
const targets = [join(root, "adapters/schema"), join(root, "trainer/compass_trainer/contracts/schema")];
const stale = [];
for (const [name, schema] of Object.entries(CONTRACTS)) {
  // "input": what a producer (the trainer) may write; refinements zod cannot express in JSON Schema (sums, lengths
  // that depend on other fields) stay the consumer's check.
  const json = `${JSON.stringify(toJSONSchema(schema, { io: "input", unrepresentable: "any" }), null, 2)}\n`;
  for (const dir of targets) {
    const file = join(dir, `${name}.schema.json`);
    if (check) {
      let committed = "";
      try {
        committed = readFileSync(file, "utf8");
      } catch {}
      if (committed !== json) stale.push(file);
    } else {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, json);
    }
  }
}
if (stale.length) {
  console.error(`JSON Schema out of date (run npm run schemas):\n  ${stale.join("\n  ")}`);
  process.exit(1);
}
console.log(check ? "JSON Schemas are up to date." : `wrote ${Object.keys(CONTRACTS).length} schemas`);
