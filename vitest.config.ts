import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { TEST_BINDINGS } from "./test/bindings";

// Worker tests run inside workerd (Miniflare) with the bindings declared in wrangler.toml plus TEST_BINDINGS.
export default defineConfig({
  plugins: [
    cloudflareTest({ wrangler: { configPath: "./wrangler.toml" }, miniflare: { bindings: { ...TEST_BINDINGS } } }),
  ],
  test: { include: ["test/**/*.test.ts"] },
});
