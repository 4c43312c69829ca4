import type { Context } from "hono";
import { apiError } from "../errors";
import { detectLanguage } from "../lid/detect";
import { canaryDraw, decideRoute, type RouteDecision } from "../route";
import type { AppEnv } from "../types";

/** Header a client may send to stay on one side of a canary (e.g. a hashed user id). */
export const STICKY_HEADER = "x-compass-sticky-key";

/** LID on `text`, then the adapter choice against the manifest in force. 400 on text with nothing to identify. */
export function decide(c: Context<AppEnv>, text: string, param: string): RouteDecision {
  if (text.trim().length === 0)
    throw apiError(400, "there is no text to identify the language of", "empty_text", "invalid_request_error", param);
  const detection = detectLanguage(text);
  const config = c.get("config");
  const decision = decideRoute(detection, c.get("manifest"), {
    minConfidence: config.LID_MIN_CONFIDENCE,
    defaultBaseModel: config.BASE_MODEL,
    canaryDraw: canaryDraw(c.req.header(STICKY_HEADER)),
  });
  c.set("decision", decision);
  return decision;
}
