import { defineConfig } from "vitest/config";

// End-to-end tests in Node: the worker under `wrangler dev` (workerd) on a free port, in front of the local
// OpenAI-compatible upstream and a fault-injecting one, called with the official `openai` client and plain fetch.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
