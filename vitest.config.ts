import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { TEST_BINDINGS } from "./test/bindings";

// Worker tests run inside workerd (Miniflare) with the bindings declared in wrangler.toml plus TEST_BINDINGS.
export default defineConfig({
  plugins: [
    cloudflareTest({ wrangler: { configPath: "./wrangler.toml" }, miniflare: { bindings: { ...TEST_BINDINGS } } }),
  ],
  // Generous per-test timeout: the load tests (10,000 increments to one Durable Object, concurrent manifest reads)
  // bound their own work; the timeout only keeps a slow, shared CI machine from failing them.
  // test/e2e runs in Node against `wrangler dev` (vitest.e2e.config.ts).
  test: {
    include: ["test/**/*.test.ts"],
    // The local upstream in its vLLM mode, for the tests that load adapters into it (test/setup/local-upstream.ts).
    globalSetup: ["test/setup/local-upstream.ts"],
    exclude: ["test/e2e/**", "**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
