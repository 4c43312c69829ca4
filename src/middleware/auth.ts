/**
 * Admin authentication (interim, until the shared auth middleware lands): the bearer token must equal the secret
 * ADMIN_TOKEN, compared as SHA-256 digests with `crypto.subtle.timingSafeEqual`; 401 without a hint which part was
 * wrong, and always 401 when no ADMIN_TOKEN is configured.
 */
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { errorBody } from "../errors";
import type { AppEnv } from "../types";

const encoder = new TextEncoder();
const digest = (token: string) => crypto.subtle.digest("SHA-256", encoder.encode(token));

export const requireAdmin = createMiddleware<AppEnv>(async function requireAdmin(c, next) {
  const secret = (c.env as { ADMIN_TOKEN?: string }).ADMIN_TOKEN;
  const token = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const ok = !!secret && !!token && crypto.subtle.timingSafeEqual(await digest(token), await digest(secret));
  if (!ok) {
    const message = "missing or invalid admin token";
    const res = Response.json(errorBody(message, "invalid_request_error", "invalid_admin_token"), {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="compass"' },
    });
    throw new HTTPException(401, { message, res });
  }
  await next();
});
