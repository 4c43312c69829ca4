/**
 * `GET /admin/windows/{language}/{region}/{file}.jsonl`, behind the admin token: the texts a drift window sampled
 * when it fired (written to the ADAPTERS bucket by the window's object, named by the trigger's `windowKey`), so a
 * trainer without S3 credentials (`compass-trainer watch --from https://…`) can re-select against the window.
 */
import { Hono } from "hono";
import { RegionSchema } from "../../adapters/trigger";
import { apiError } from "../errors";
import { requireAdmin } from "../middleware/auth";
import type { AppEnv } from "../types";

/** A trigger id as `adapters/trigger.ts` allows it, plus the `.jsonl` the window object appends. */
const WINDOW_FILE = /^[A-Za-z0-9._-]{1,200}\.jsonl$/;
const LANGUAGE = /^[a-z]{2,8}$/;

export const adminWindows = new Hono<AppEnv>().get(
  "/admin/windows/:language/:region/:file",
  requireAdmin,
  async (c) => {
    const { language, region, file } = c.req.param();
    if (!LANGUAGE.test(language) || !RegionSchema.safeParse(region).success || !WINDOW_FILE.test(file))
      throw apiError(400, "not a window key: windows/{language}/{region}/{trigger id}.jsonl", "invalid_window_key");
    const key = `windows/${language}/${region}/${file}`;
    const object = await c.env.ADAPTERS.get(key);
    if (!object) throw apiError(404, `no window sample at ${key}`, "window_not_found");
    return new Response(object.body, {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "content-length": String(object.size),
        "cache-control": "no-store",
      },
    });
  },
);
