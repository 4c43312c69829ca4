/**
 * Authentication middleware. Clients (`requireClient`) per AUTH_MODE; the admin API (`requireAdmin`) with the secret
 * ADMIN_TOKEN. Tokens are compared as SHA-256 digests with `crypto.subtle.timingSafeEqual`, so neither the content
 * nor the length of a configured secret leaks through timing, and a refusal never says which part was wrong.
 */
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { Config } from "../config";
import { errorBody } from "../errors";
import type { AppEnv } from "../types";

const encoder = new TextEncoder();

async function digest(token: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(token));
}

// Digests of the configured secrets, computed once per parsed config.
const secretDigests = new WeakMap<Config, Promise<{ clients: ArrayBuffer[]; admin: ArrayBuffer | null }>>();

function digestsFor(config: Config) {
  let hit = secretDigests.get(config);
  if (!hit) {
    hit = (async () => ({
      clients: await Promise.all(config.CLIENT_API_KEYS.map(digest)),
      admin: config.ADMIN_TOKEN ? await digest(config.ADMIN_TOKEN) : null,
    }))();
    secretDigests.set(config, hit);
  }
  return hit;
}

/** True when `presented` equals one of `accepted` (every candidate is compared: no early exit). */
export async function matchesAny(presented: string, accepted: ArrayBuffer[]): Promise<boolean> {
  const candidate = await digest(presented);
  let match = false;
  for (const known of accepted) match = crypto.subtle.timingSafeEqual(candidate, known) || match;
  return match;
}

/** The bearer token of a request, or null when the header is absent or not of the `Bearer <token>` form. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

function unauthorized(message: string, code: string): HTTPException {
  const res = Response.json(errorBody(message, "invalid_request_error", code), {
    status: 401,
    headers: { "www-authenticate": 'Bearer realm="compass"' },
  });
  return new HTTPException(401, { message, res });
}

/**
 * Client authentication per AUTH_MODE. `keys`: the bearer token must be one of CLIENT_API_KEYS. `passthrough`: a
 * bearer token is required and becomes the upstream's key (the upstream checks it). `none`: no check. Sets
 * `upstreamKey`, the key the upstream call carries (UPSTREAM_API_KEY unless passed through).
 */
export const requireClient = createMiddleware<AppEnv>(async function requireClient(c, next) {
  const config = c.get("config");
  const token = bearerToken(c.req.header("authorization"));
  if (config.AUTH_MODE === "passthrough") {
    if (!token) throw unauthorized("an API key is required (Authorization: Bearer <key>)", "invalid_api_key");
    c.set("upstreamKey", token);
  } else {
    if (config.AUTH_MODE === "keys") {
      const { clients } = await digestsFor(config);
      if (!token || !(await matchesAny(token, clients)))
        throw unauthorized("missing or invalid API key (Authorization: Bearer <key>)", "invalid_api_key");
    }
    c.set("upstreamKey", config.UPSTREAM_API_KEY ?? null);
  }
  await next();
});

/** Admin authentication: the bearer token must equal the secret ADMIN_TOKEN; with no ADMIN_TOKEN set, always 401. */
export const requireAdmin = createMiddleware<AppEnv>(async function requireAdmin(c, next) {
  const { admin } = await digestsFor(c.get("config"));
  const token = bearerToken(c.req.header("authorization"));
  if (!admin || !token || !(await matchesAny(token, [admin])))
    throw unauthorized("missing or invalid admin token", "invalid_admin_token");
  await next();
});
