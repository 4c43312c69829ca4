/**
 * The upstream must have an adapter before traffic goes to it. With UPSTREAM_ADAPTER_LOADING=vllm the rollout asks
 * vLLM to load it at runtime (`POST /v1/load_lora_adapter {lora_name, lora_path}`) and changes the manifest only once
 * vLLM said yes; an adapter it already has counts as loaded. With `none` the upstream is trusted to have it.
 *
 * Every rollout change loads every adapter its new entry routes to (the stable one, and the canary while one runs),
 * not only the one it adds: a rollback or an abort sends traffic to a stable adapter the server may have dropped since
 * it last served it (a restart, an eviction), and vLLM answers "already loaded" cheaply for the others.
 */
import type { AdapterRef, LanguageEntry } from "../../adapters/manifest";
import type { Config } from "../config";

export type LoadResult = { ok: true; loaded: boolean } | { ok: false; message: string };

// vLLM answers 400 with this when the name is taken: the adapter is there already.
const ALREADY_LOADED = /already been loaded/i;

export async function ensureUpstreamHas(config: Config, adapter: AdapterRef): Promise<LoadResult> {
  if (config.UPSTREAM_ADAPTER_LOADING === "none") return { ok: true, loaded: false };
  const root = (config.UPSTREAM_ADAPTER_ROOT ?? "").replace(/\/+$/, "");
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (config.UPSTREAM_API_KEY) headers.authorization = `Bearer ${config.UPSTREAM_API_KEY}`;
  let res: Response;
  try {
    res = await fetch(`${config.UPSTREAM_URL}/v1/load_lora_adapter`, {
      method: "POST",
      headers,
      body: JSON.stringify({ lora_name: adapter.name, lora_path: `${root}/${adapter.path ?? ""}`.replace(/\/+$/, "") }),
      signal: AbortSignal.timeout(config.UPSTREAM_TIMEOUT_MS),
    });
  } catch (err) {
    return { ok: false, message: `loading ${adapter.name} into the upstream failed: ${String(err).slice(0, 300)}` };
  }
  const text = (await res.text()).slice(0, 500);
  if (res.ok) return { ok: true, loaded: true };
  if (res.status === 400 && ALREADY_LOADED.test(text)) return { ok: true, loaded: false };
  return { ok: false, message: `the upstream refused to load ${adapter.name} (${res.status}): ${text}` };
}

/** The adapters a language entry routes traffic to: the stable one, then the canary. */
export function routedAdapters(entry: LanguageEntry): AdapterRef[] {
  return [entry.adapter, entry.canary?.adapter].filter((ref): ref is AdapterRef => ref !== undefined);
}

/** Load every adapter `entry` routes to; the first refusal ends it. */
export async function ensureUpstreamHasAll(config: Config, entry: LanguageEntry): Promise<LoadResult> {
  let loaded = false;
  for (const adapter of routedAdapters(entry)) {
    const result = await ensureUpstreamHas(config, adapter);
    if (!result.ok) return result;
    loaded ||= result.loaded;
  }
  return { ok: true, loaded };
}
