/** `GET /v1/models` (the base model and every adapter the manifest names, per language) and `GET /healthz`. */
import { Hono } from "hono";
import { readConfig } from "../config";
import { loadManifest, withManifest } from "../manifest";
import { requireClient } from "../middleware/auth";
import type { AppEnv } from "../types";

interface ModelCard {
  id: string;
  object: "model";
  owned_by: "compass";
  /** compass extensions: which language the adapter serves and in what role. */
  language?: string;
  role?: "base" | "adapter" | "target-only" | "canary";
  version?: string;
}

export const models = new Hono<AppEnv>().get("/v1/models", requireClient, withManifest, (c) => {
  const manifest = c.get("manifest");
  const data: ModelCard[] = [
    { id: manifest?.baseModel ?? c.get("config").BASE_MODEL, object: "model", owned_by: "compass", role: "base" },
  ];
  for (const [language, entry] of Object.entries(manifest?.languages ?? {})) {
    if (!entry) continue;
    const add = (ref: { name: string; version: string } | undefined, role: ModelCard["role"]) => {
      if (ref) data.push({ id: ref.name, object: "model", owned_by: "compass", language, role, version: ref.version });
    };
    add(entry.adapter, "adapter");
    add(entry.targetOnly, "target-only");
    add(entry.canary?.adapter, "canary");
  }
  return c.json({ object: "list", data });
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
