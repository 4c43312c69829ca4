import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Manifest } from "../../adapters/manifest";
import { app } from "../../src/app";
import { clearManifestCache } from "../../src/manifest";
import { TEST_MANIFEST_KEY } from "../bindings";

/** A stand-in sha256 per test adapter: the routing tests need only that the manifest states one. */
export const sha = (seed: string) => seed.repeat(64).slice(0, 64);

export const MANIFEST: Manifest = {
  schemaVersion: 1,
  baseModel: "meta-llama/Llama-3.1-8B-Instruct",
  languages: {
    sw: { adapter: { name: "compass-sw", version: "3", sha256: sha("a") } },
    de: { adapter: { name: "compass-de", version: "1", sha256: sha("b") } },
    ja: { adapter: { name: "compass-ja", version: "2", sha256: sha("c") } },
    yo: { targetOnly: { name: "target-yo", version: "1", sha256: sha("d") } },
    fr: {
      adapter: { name: "compass-fr", version: "4", sha256: sha("e") },
      canary: { adapter: { name: "compass-fr-v5", version: "5", sha256: sha("f") }, share: 0.5 },
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

/** Send a request to the app with the test bindings (plus overrides); returns once its `waitUntil` work is done. */
export async function request(path: string, init: RequestInit, overrides: Record<string, unknown> = {}) {
  const ctx = createExecutionContext();
  const res = await app.request(path, init, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** POST JSON to the app with the test bindings (plus overrides). */
export function postJson(
  path: string,
  body: unknown,
  overrides: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return request(
    path,
    {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    },
    overrides,
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
