/** CORS for browser clients, from CORS_ORIGINS: Hono's cors middleware, built once per parsed config. */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { Config } from "../config";
import type { AppEnv } from "../types";

/** What a browser client sends beyond the simple headers. */
const ALLOWED_HEADERS = ["authorization", "content-type", "x-compass-sticky-key"];
/** What a browser client may read: the routing report and the back-off headers of a 429/503. */
const EXPOSED_HEADERS = [
  "x-compass-language",
  "x-compass-confidence",
  "x-compass-adapter",
  "x-compass-reason",
  "retry-after",
  "x-ratelimit-limit-requests",
  "x-ratelimit-limit-tokens",
  "x-ratelimit-remaining-requests",
  "x-ratelimit-remaining-tokens",
  "x-ratelimit-reset-requests",
  "x-ratelimit-reset-tokens",
];

// null: CORS_ORIGINS is empty, no CORS headers at all (browsers then refuse cross-origin calls).
const handlers = new WeakMap<Config, MiddlewareHandler | null>();

function handlerFor(config: Config): MiddlewareHandler | null {
  let handler = handlers.get(config);
  if (handler === undefined) {
    const origins = config.CORS_ORIGINS;
    handler =
      origins.length === 0
        ? null
        : cors({
            origin: origins.includes("*") ? "*" : origins,
            allowMethods: ["GET", "POST", "OPTIONS"],
            allowHeaders: ALLOWED_HEADERS,
            exposeHeaders: EXPOSED_HEADERS,
            maxAge: 600,
          });
    handlers.set(config, handler);
  }
  return handler;
}

/** Middleware (after `withConfig`): CORS headers for the configured origins, and answers to preflight requests. */
export const corsFromConfig = createMiddleware<AppEnv>(async function corsFromConfig(c, next) {
  const handler = handlerFor(c.get("config"));
  if (!handler) return next();
  return handler(c, next);
});
