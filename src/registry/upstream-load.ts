/**
 * The upstream must have an adapter before traffic goes to it. With UPSTREAM_ADAPTER_LOADING=vllm the rollout asks
 * vLLM to load it at runtime (`POST /v1/load_lora_adapter {lora_name, lora_path}`) and changes the manifest only once
 * vLLM said yes; an adapter it already has counts as loaded. With `none` the upstream is trusted to have it.
 */
import type { AdapterRef } from "../../adapters/manifest";
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
