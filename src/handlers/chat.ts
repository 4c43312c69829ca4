/** `POST /v1/chat/completions`: identify, choose the adapter, forward to the upstream, pass the answer back. */
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import type { Config } from "../config";
import { recordDrift } from "../drift/record";
import { apiError, errorBody } from "../errors";
import { withManifest } from "../manifest";
import { requireClient } from "../middleware/auth";
import { limitBody, requireJson } from "../middleware/json";
import { completeWithDeadline, UpstreamError, upstreamFor } from "../proxy/upstream";
import { COMPLETION_ID_HEADER, newCompletionId, recordOutcome } from "../registry/record";
import { decisionHeaders } from "../route";
import { type ChatCompletionRequest, ChatCompletionRequestSchema } from "../schemas";
import type { AppEnv } from "../types";
import { chatRoutingText, decide } from "./decide";
import { validationHook } from "./validation";

/**
 * The request as it goes upstream, within the cost bounds: `max_tokens`/`max_completion_tokens` and `n` above
 * MAX_TOKENS_LIMIT / MAX_N are refused (400, naming the field); a request that bounds neither token field gets
 * `max_tokens = MAX_TOKENS_LIMIT`, since an OpenAI-compatible server would otherwise fill the model's context.
 */
export function boundedRequest(request: ChatCompletionRequest, config: Config): ChatCompletionRequest {
  for (const field of ["max_tokens", "max_completion_tokens"] as const) {
    const value = request[field];
    if (value != null && value > config.MAX_TOKENS_LIMIT)
      throw apiError(
        400,
        `${field} is ${value}; this deployment allows at most ${config.MAX_TOKENS_LIMIT}`,
        "limit_exceeded",
        "invalid_request_error",
        field,
      );
  }
  if (request.n != null && request.n > config.MAX_N)
    throw apiError(
      400,
      `n is ${request.n}; this deployment allows at most ${config.MAX_N}`,
      "limit_exceeded",
      "invalid_request_error",
      "n",
    );
  if (request.max_tokens == null && request.max_completion_tokens == null)
    return { ...request, max_tokens: config.MAX_TOKENS_LIMIT };
  return request;
}

export const chat = new Hono<AppEnv>().post(
  "/v1/chat/completions",
  requireClient,
  requireJson,
  limitBody,
  zValidator("json", ChatCompletionRequestSchema, validationHook),
  withManifest,
  async (c) => {
    const config = c.get("config");
    const request = boundedRequest(c.req.valid("json"), config);
    if (!request.messages.some((m) => m.role === "user"))
      throw apiError(
        400,
        "messages must contain a user message",
        "missing_user_message",
        "invalid_request_error",
        "messages",
      );
    const routing = chatRoutingText(request.messages);
    const decision = decide(c, { ...routing, param: "messages", model: request.model });
    recordDrift(c, decision, routing.text);
    const completionId = newCompletionId(decision.language);
    const headers = { ...decisionHeaders(decision), [COMPLETION_ID_HEADER]: completionId };
    const started = Date.now();
    let response: Response;
    try {
      const upstream = upstreamFor(config, c.env, c.get("upstreamKey"));
      response = await completeWithDeadline(upstream, request, decision, config.UPSTREAM_TIMEOUT_MS);
      recordOutcome(c, decision, completionId, response.status, Date.now() - started);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      recordOutcome(c, decision, completionId, null, Date.now() - started);
      return c.json(errorBody(err.message, err.type, err.code), err.status, { ...headers, ...err.headers });
    }
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  },
);
