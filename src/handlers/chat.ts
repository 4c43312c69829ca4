/** `POST /v1/chat/completions`: identify, choose the adapter, forward to the upstream, pass the answer back. */
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { apiError, errorBody } from "../errors";
import { textForIdentification } from "../lid/text";
import { withManifest } from "../manifest";
import { requireClient } from "../middleware/auth";
import { limitBody, requireJson } from "../middleware/json";
import { completeWithDeadline, UpstreamError, upstreamFor } from "../proxy/upstream";
import { decisionHeaders } from "../route";
import { ChatCompletionRequestSchema } from "../schemas";
import type { AppEnv } from "../types";
import { decide } from "./decide";
import { validationHook } from "./validation";

export const chat = new Hono<AppEnv>().post(
  "/v1/chat/completions",
  requireClient,
  requireJson,
  limitBody,
  zValidator("json", ChatCompletionRequestSchema, validationHook),
  withManifest,
  async (c) => {
    const request = c.req.valid("json");
    if (!request.messages.some((m) => m.role === "user")) {
      throw apiError(
        400,
        "messages must contain a user message",
        "missing_user_message",
        "invalid_request_error",
        "messages",
      );
    }
    const decision = decide(c, textForIdentification(request.messages), "messages");
    const headers = decisionHeaders(decision);
    let response: Response;
    try {
      const config = c.get("config");
      const upstream = upstreamFor(config, c.env, c.get("upstreamKey"));
      response = await completeWithDeadline(upstream, request, decision, config.UPSTREAM_TIMEOUT_MS);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      console.warn("compass: upstream failure", err.message);
      return c.json(
        errorBody(err.message, "upstream_error", err.status === 504 ? "upstream_timeout" : "upstream_unavailable"),
        err.status,
        headers,
      );
    }
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  },
);
