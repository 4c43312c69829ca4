/**
 * Errors in OpenAI's shape (`{ error: { message, type, param, code } }`) so that OpenAI SDKs surface them as usual.
 * Handlers throw `HTTPException`s made here; `onError` renders every error, expected or not.
 */
import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./types";

export type ErrorType = "invalid_request_error" | "rate_limit_error" | "upstream_error" | "server_error";

export interface OpenAIError {
  error: { message: string; type: ErrorType; param: string | null; code: string | null };
}

export function errorBody(
  message: string,
  type: ErrorType,
  code: string | null = null,
  param: string | null = null,
): OpenAIError {
  return { error: { message, type, param, code } };
}

/** An HTTPException whose response is an OpenAI-shaped JSON error. */
export function apiError(
  status: ContentfulStatusCode,
  message: string,
  code: string,
  type: ErrorType = "invalid_request_error",
  param: string | null = null,
): HTTPException {
  const res = Response.json(errorBody(message, type, code, param), { status });
  return new HTTPException(status, { message, res });
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    if (res.headers.get("content-type")?.includes("application/json")) return res;
    // Hono's own exceptions (malformed JSON from the validator, body limit) carry plain text: re-shape them.
    const code = err.status === 400 ? "invalid_json" : err.status === 413 ? "payload_too_large" : "http_error";
    return c.json(errorBody(err.message || res.statusText, "invalid_request_error", code), err.status);
  }
  console.error("compass: unhandled error", err);
  return c.json(errorBody("internal error", "server_error", "internal_error"), 500);
};
