/**
 * `POST /v1/feedback` `{"id": "<x-compass-completion-id>", "score": 0..1}`: explicit feedback on a completion served
 * while its language ran a canary; the guard weighs it (mean feedback, canary against stable).
 */
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import { isLanguageCode } from "../../adapters/languages";
import { apiError } from "../errors";
import { requireClient } from "../middleware/auth";
import { limitBody, requireJson } from "../middleware/json";
import { guardFor } from "../registry/guard.do";
import { flushGuard, languageOfCompletion } from "../registry/record";
import type { AppEnv } from "../types";
import { validationHook } from "./validation";

const FeedbackSchema = z.object({
  id: z.string().max(100),
  /** 0 (bad) to 1 (good). */
  score: z.number().min(0).max(1),
});

export const feedback = new Hono<AppEnv>().post(
  "/v1/feedback",
  requireClient,
  requireJson,
  limitBody,
  zValidator("json", FeedbackSchema, validationHook),
  async (c) => {
    const { id, score } = c.req.valid("json");
    const language = languageOfCompletion(id);
    if (!language || !isLanguageCode(language))
      throw apiError(
        400,
        "id must be a completion id from the x-compass-completion-id header",
        "invalid_completion_id",
        "invalid_request_error",
        "id",
      );
    // The completion's outcome may still wait in this isolate's buffer; one served by another isolate reaches the
    // guard within that isolate's flush interval (GUARD_FLUSH_AFTER_MS), and is unknown to it until then.
    await flushGuard(c.env);
    const result = await guardFor(c.env, language).feedback(language, id, score);
    if (result === "unknown-completion")
      throw apiError(
        404,
        "no such completion: only completions served during a canary are scored, for 24 hours",
        "unknown_completion",
        "invalid_request_error",
        "id",
      );
    if (result === "already-scored")
      throw apiError(409, "this completion already has a score", "already_scored", "invalid_request_error", "id");
    return c.json({ status: result, id }, 202);
  },
);
