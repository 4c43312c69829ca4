/** Cross-cutting request checks for JSON endpoints: content type (415) and body size (413), in OpenAI's error shape. */

import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { apiError } from "../errors";
import type { AppEnv } from "../types";

/** 415 unless the request declares a JSON body. */
export const requireJson = createMiddleware<AppEnv>(async function requireJson(c, next) {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw apiError(
      415,
      `expected content-type application/json, got ${type ? `'${type}'` : "none"}`,
      "unsupported_media_type",
    );
  }
  await next();
});

// One bodyLimit middleware per configured size, built once: MAX_BODY_BYTES comes from the config, which a
// module-scope factory call cannot see.
const limiters = new Map<number, MiddlewareHandler>();

/** 413 when the body exceeds MAX_BODY_BYTES (checked on Content-Length and on the bytes actually read). */
export const limitBody = createMiddleware<AppEnv>(async function limitBody(c, next) {
  const maxSize = c.get("config").MAX_BODY_BYTES;
  let limiter = limiters.get(maxSize);
  if (!limiter) {
    limiter = bodyLimit({
      maxSize,
      onError: () => {
        throw apiError(413, `request body exceeds ${maxSize} bytes`, "payload_too_large");
      },
    });
    limiters.set(maxSize, limiter);
  }
  return limiter(c, next);
});
