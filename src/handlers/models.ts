/** `GET /v1/models` (the base model and every adapter the manifest names, per language) and `GET /healthz`. */
import { Hono } from "hono";
import type { Manifest } from "../../adapters/manifest";
import { type Config, readConfig } from "../config";
import { apiError } from "../errors";
import { loadManifest, withManifest } from "../manifest";
import { requireClient } from "../middleware/auth";
import type { AppEnv } from "../types";

interface ModelCard {
  id: string;
  object: "model";
  /** Unix seconds: the manifest's `updatedAt` (0 when it states none). */
  created: number;
  owned_by: "compass";
  /** compass extensions: which language the adapter serves and in what role. */
  language?: string;
  role: "router" | "base" | "adapter" | "target-only" | "canary";
  version?: string;
}

/** Every model a client may name: the routing aliases, the base model, and each language's adapters. */
function modelCards(manifest: Manifest | null, config: Config): ModelCard[] {
  const updated = manifest?.updatedAt ? Date.parse(manifest.updatedAt) : Number.NaN;
  const created = Number.isFinite(updated) ? Math.floor(updated / 1000) : 0;
  const card = (id: string, role: ModelCard["role"], extra: Partial<ModelCard> = {}): ModelCard => ({
    id,
    object: "model",
    created,
    owned_by: "compass",
    role,
    ...extra,
  });
  const cards = config.MODEL_ALIASES.map((alias) => card(alias, "router"));
  cards.push(card(manifest?.baseModel ?? config.BASE_MODEL, "base"));
  for (const [language, entry] of Object.entries(manifest?.languages ?? {})) {
    if (!entry) continue;
    const add = (ref: { name: string; version: string } | undefined, role: ModelCard["role"]) => {
      if (ref) cards.push(card(ref.name, role, { language, version: ref.version }));
    };
    add(entry.adapter, "adapter");
    add(entry.targetOnly, "target-only");
    add(entry.canary?.adapter, "canary");
  }
  return cards;
}

export const models = new Hono<AppEnv>()
  .get("/v1/models", requireClient, withManifest, (c) =>
    c.json({ object: "list", data: modelCards(c.get("manifest"), c.get("config")) }),
  )
  // Model ids may hold slashes (`meta-llama/Llama-3.1-8B-Instruct`): the id is the rest of the path.
  .get("/v1/models/:id{.+}", requireClient, withManifest, (c) => {
    const id = c.req.param("id");
    const card = modelCards(c.get("manifest"), c.get("config")).find((m) => m.id === id);
    if (!card)
      throw apiError(404, `the model '${id}' does not exist`, "model_not_found", "invalid_request_error", "model");
    return c.json(card);
  });

/**
 * `GET /healthz`: liveness, whether the configuration is valid (naming the variables that are not; never their
 * values) and whether a manifest is loaded. Unauthenticated, so load balancers can call it.
 */
export const health = new Hono<AppEnv>().get("/healthz", async (c) => {
  const result = readConfig(c.env);
  if (!result.ok) return c.json({ status: "misconfigured", problems: result.problems }, 503);
  const manifest = await loadManifest(c.env, result.config);
  return c.json({
    status: "ok",
    manifest: manifest ? "loaded" : "missing-or-invalid",
    upstream: result.config.UPSTREAM_KIND,
    auth: result.config.AUTH_MODE,
  });
});
