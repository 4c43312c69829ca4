/**
 * The drift telemetry's read side, behind the admin token: `GET /v1/drift` (every language with a cluster model),
 * `GET /v1/drift/{language}` (its regions and the rollup `all`, JSON), `GET /v1/drift/{language}/chart.svg` (the
 * picture), and `GET /admin/triggers?since=…` (the triggers the queue consumer recorded, for the trainer).
 */

import type { Context } from "hono";
import { Hono } from "hono";
import { isLanguageCode } from "../../adapters/languages";
import { clusterModelKey } from "../../adapters/manifest";
import { withTimeout } from "../delivery";
import { driftChartSvg } from "../drift/chart";
import { TRIGGER_LOG_NAME } from "../drift/trigger-log.do";
import type { WindowSnapshot } from "../drift/window.do";
import { apiError } from "../errors";
import { withManifest } from "../manifest";
import { requireAdmin } from "../middleware/auth";
import type { AppEnv } from "../types";

/** **[choice]** Regions read per language in one request; the rest are named in `truncatedRegions`. */
const MAX_REGIONS = 64;
const READ_TIMEOUT_MS = 5_000;

type RegionView = Omit<WindowSnapshot, "language" | "region" | "regions">;

function snapshot(c: Context<AppEnv>, language: string, region: string, timeline: number): Promise<WindowSnapshot> {
  const ns = c.env.DRIFT_WINDOWS;
  return withTimeout(ns.get(ns.idFromName(`${language}:${region}`)).snapshot(timeline), READ_TIMEOUT_MS);
}

function view({ language: _l, region: _r, regions: _rs, ...rest }: WindowSnapshot): RegionView {
  return rest;
}

function languageParam(c: Context<AppEnv>): string {
  const language = c.req.param("language") ?? "";
  if (!isLanguageCode(language))
    throw apiError(404, `${language} is not a language compass knows`, "unknown_language", "invalid_request_error");
  return language;
}

function intParam(c: Context<AppEnv>, name: string, fallback: number, max: number): number {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max)
    throw apiError(
      400,
      `${name} must be a whole number in [0, ${max}]`,
      "invalid_parameter",
      "invalid_request_error",
      name,
    );
  return Number(raw);
}

/** The rollup, then each region it has merged (up to MAX_REGIONS), read concurrently. */
async function languageDrift(c: Context<AppEnv>, language: string, timeline: number) {
  const all = await snapshot(c, language, "all", timeline);
  const names = all.regions.slice(0, MAX_REGIONS);
  const regions = await Promise.all(names.map((r) => snapshot(c, language, r, timeline)));
  return {
    all,
    regions: names.map((name, i) => [name, regions[i]!] as [string, WindowSnapshot]),
    truncated: all.regions.slice(MAX_REGIONS),
  };
}

export const drift = new Hono<AppEnv>()
  .get("/v1/drift", requireAdmin, withManifest, async (c) => {
    const manifest = c.get("manifest");
    const languages = Object.entries(manifest?.languages ?? {})
      .filter(([, entry]) => clusterModelKey(entry))
      .map(([language]) => language);
    const rollups = await Promise.all(languages.map((language) => snapshot(c, language, "all", 0)));
    return c.json({
      languages: Object.fromEntries(
        languages.map((language, i) => {
          const { timeline: _t, ...summary } = view(rollups[i]!);
          return [language, { regions: rollups[i]!.regions, all: summary }];
        }),
      ),
    });
  })
  .get("/v1/drift/:language/chart.svg", requireAdmin, async (c) => {
    const language = languageParam(c);
    const { all, regions } = await languageDrift(c, language, intParam(c, "timeline", 500, 2000));
    const svg = driftChartSvg(language, all.modelVersion ? [...regions, ["all", all]] : regions);
    return c.body(svg, 200, { "content-type": "image/svg+xml; charset=utf-8", "cache-control": "no-store" });
  })
  .get("/v1/drift/:language", requireAdmin, async (c) => {
    const language = languageParam(c);
    const { all, regions, truncated } = await languageDrift(c, language, intParam(c, "timeline", 200, 2000));
    return c.json({
      language,
      modelVersion: all.modelVersion,
      regions: Object.fromEntries([
        ...regions.map(([name, s]) => [name, view(s)]),
        ...(all.modelVersion ? [["all", view(all)]] : []),
      ]),
      ...(truncated.length > 0 ? { truncatedRegions: truncated } : {}),
    });
  })
  .get("/admin/triggers", requireAdmin, async (c) => {
    const since = c.req.query("since") ?? null;
    if (since !== null && Number.isNaN(Date.parse(since)))
      throw apiError(400, "since must be an ISO 8601 time", "invalid_parameter", "invalid_request_error", "since");
    const limit = intParam(c, "limit", 100, 1000);
    const cursor = intParam(c, "cursor", 0, Number.MAX_SAFE_INTEGER);
    const log = c.env.DRIFT_TRIGGER_LOG.get(c.env.DRIFT_TRIGGER_LOG.idFromName(TRIGGER_LOG_NAME));
    const sinceIso = since === null ? null : new Date(since).toISOString();
    return c.json(await withTimeout(log.list(sinceIso, cursor, Math.max(1, limit)), READ_TIMEOUT_MS));
  });
