/**
 * Values the worker tests run with on top of wrangler.toml (which deliberately sets no upstream URL and no secrets):
 * what a local deployment would put in local.env. Tests of authentication set AUTH_MODE=keys themselves.
 */
export const TEST_BINDINGS = {
  UPSTREAM_URL: "http://upstream.compass.test",
  AUTH_MODE: "none",
  ADMIN_TOKEN: "test-admin-token-0123456789",
} as const;

/** The config's default manifest key (src/config.ts), where the tests put their manifests. */
export const TEST_MANIFEST_KEY = "manifest.json";
