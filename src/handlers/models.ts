/** `GET /v1/models` (the base model and every adapter the manifest names, per language) and `GET /healthz`. */
import { Hono } from "hono";
import { withManifest } from "../manifest";
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

export const models = new Hono<AppEnv>()
  .get("/v1/models", withManifest, (c) => {
    const manifest = c.get("manifest");
    const data: ModelCard[] = [
      { id: manifest?.baseModel ?? c.env.BASE_MODEL, object: "model", owned_by: "compass", role: "base" },
    ];
    for (const [language, entry] of Object.entries(manifest?.languages ?? {})) {
      if (!entry) continue;
      const add = (ref: { name: string; version: string } | undefined, role: ModelCard["role"]) => {
        if (ref)
          data.push({ id: ref.name, object: "model", owned_by: "compass", language, role, version: ref.version });
      };
      add(entry.adapter, "adapter");
      add(entry.targetOnly, "target-only");
      add(entry.canary?.adapter, "canary");
    }
    return c.json({ object: "list", data });
  })
  .get("/healthz", withManifest, (c) =>
    c.json({
      status: "ok",
      manifest: c.get("manifest") ? "loaded" : "missing-or-invalid",
      upstream: c.env.UPSTREAM_KIND,
    }),
  );
