/** The compass worker's Hono app: one sub-app per endpoint family, one error handler for all. */
import { Hono } from "hono";
import { withConfig } from "./config";
import { errorBody, onError } from "./errors";
import { adminAdapters } from "./handlers/admin-adapters";
import { adminRollout } from "./handlers/admin-rollout";
import { adminWindows } from "./handlers/admin-windows";
import { chat } from "./handlers/chat";
import { drift } from "./handlers/drift";
import { feedback } from "./handlers/feedback";
import { health, models } from "./handlers/models";
import { route } from "./handlers/route";
import { corsFromConfig } from "./middleware/cors";
import type { AppEnv } from "./types";

export const app = new Hono<AppEnv>()
  // Before the config middleware: /healthz reports an invalid configuration instead of failing on it.
  .route("/", health)
  .use(withConfig)
  .use(corsFromConfig)
  .route("/", chat)
  .route("/", route)
  .route("/", models)
  .route("/", drift)
  .route("/", adminWindows)
  .route("/", feedback)
  .route("/", adminAdapters)
  .route("/", adminRollout)
  .notFound((c) =>
    c.json(errorBody(`no route for ${c.req.method} ${c.req.path}`, "invalid_request_error", "not_found"), 404),
  )
  .onError(onError);
