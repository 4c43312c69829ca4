import { env } from "cloudflare:workers";
import type { Manifest } from "../../adapters/manifest";
import { app } from "../../src/app";
import { clearManifestCache } from "../../src/manifest";
import { TEST_MANIFEST_KEY } from "../bindings";

export const MANIFEST: Manifest = {
  schemaVersion: 1,
  baseModel: "meta-llama/Llama-3.1-8B-Instruct",
  languages: {
    sw: { adapter: { name: "compass-sw", version: "3" } },
    de: { adapter: { name: "compass-de", version: "1" } },
    ja: { adapter: { name: "compass-ja", version: "2" } },
    yo: { targetOnly: { name: "target-yo", version: "1" } },
    fr: {
      adapter: { name: "compass-fr", version: "4" },
      canary: { adapter: { name: "compass-fr-v5", version: "5" }, share: 0.5 },
    },
  },
};

export async function putManifest(manifest: unknown = MANIFEST): Promise<void> {
  await env.ADAPTERS.put(TEST_MANIFEST_KEY, typeof manifest === "string" ? manifest : JSON.stringify(manifest));
  clearManifestCache();
}

export async function deleteManifest(): Promise<void> {
  await env.ADAPTERS.delete(TEST_MANIFEST_KEY);
  clearManifestCache();
}

/** POST JSON to the app with the test bindings (plus overrides). */
export function postJson(
  path: string,
  body: unknown,
  overrides: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return app.request(
    path,
    {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    },
    { ...env, ...overrides },
  );
}

export const chatBody = (text: string, extra: Record<string, unknown> = {}) => ({
  model: "auto",
  messages: [
    { role: "system", content: "You are helpful." },
    { role: "user", content: text },
  ],
  ...extra,
});
