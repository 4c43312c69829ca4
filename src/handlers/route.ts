/**
 * `POST /v1/route`: the routing decision alone, for `{ "text": … }` or an OpenAI `messages` array, plus the request's
 * cluster and margin when the language has a cluster model. No upstream call.
 */
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { assignCluster } from "../cluster";
import { textForIdentification } from "../lid/text";
import { withManifest } from "../manifest";
import { requireClient } from "../middleware/auth";
import { limitBody, requireJson } from "../middleware/json";
import { decisionHeaders } from "../route";
import { RouteRequestSchema } from "../schemas";
import type { AppEnv } from "../types";
import { decide } from "./decide";
import { validationHook } from "./validation";

export const route = new Hono<AppEnv>().post(
  "/v1/route",
  requireClient,
  requireJson,
  limitBody,
  zValidator("json", RouteRequestSchema, validationHook),
  withManifest,
  async (c) => {
    const body = c.req.valid("json");
    const [text, param] = "text" in body ? [body.text, "text"] : [textForIdentification(body.messages), "messages"];
    const decision = decide(c, { text, param });
    const cluster = await assignCluster(c.env.ADAPTERS, c.get("manifest"), decision.language, text);
    return c.json({ ...decision, cluster }, 200, decisionHeaders(decision));
  },
);
