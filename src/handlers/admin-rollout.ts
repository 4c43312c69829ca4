/**
 * `/admin/rollout/{language}`: `GET` the language's adapters, the guard's current figures and the history (who, what,
 * why, and the figures behind each guard decision); `POST` `{"action": "canary", "version", "share"}`, `promote`,
 * `rollback` or `abort`. A change that lost a compare-and-swap race answers 409 and changes nothing; one whose adapters
 * the upstream refuses to load (UPSTREAM_ADAPTER_LOADING=vllm) answers 502 and changes nothing.
 */
import { zValidator } from "@hono/zod-validator";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isLanguageCode, type LanguageCode } from "../../adapters/languages";
import type { AdapterRef } from "../../adapters/manifest";
import { VERSION_RECORD, VersionRecordSchema, versionPrefix } from "../../adapters/registry";
import { RolloutRequestSchema } from "../../adapters/rollout";
import { apiError } from "../errors";
import { requireAdmin } from "../middleware/auth";
import { requireJson } from "../middleware/json";
import { canaryRunOf, guardFor } from "../registry/guard.do";
import {
  adminStore,
  changeManifest,
  readStoredManifest,
  rolloutChange,
  rolloutHistory,
} from "../registry/manifest-store";
import { applyRollout, type RolloutCommand } from "../registry/rollout";
import { ensureUpstreamHasAll } from "../registry/upstream-load";
import type { AppEnv } from "../types";
import { storedSha256 } from "./admin-adapters";
import { validationHook } from "./validation";

function languageParam(c: Context<AppEnv>): LanguageCode {
  const language = c.req.param("language") ?? "";
  if (!isLanguageCode(language))
    throw apiError(400, `unknown language '${language}'`, "invalid_language", "invalid_request_error", "language");
  return language;
}

/** The published version as a manifest reference, after checking its weights object against its record. */
async function publishedRef(bucket: R2Bucket, language: string, name: string, version: string): Promise<AdapterRef> {
  const prefix = versionPrefix(language, name, version);
  const object = await bucket.get(prefix + VERSION_RECORD);
  if (!object)
    throw apiError(
      404,
      `${name}@${version} is not published for ${language} (no ${prefix}${VERSION_RECORD})`,
      "unknown_version",
      "invalid_request_error",
      "version",
    );
  const record = VersionRecordSchema.parse(await object.json());
  const weights = await bucket.head(`${prefix}adapter_model.safetensors`);
  if (!weights || storedSha256(weights) !== record.adapterSha256)
    throw apiError(409, `${prefix}adapter_model.safetensors does not match its record's sha256`, "unverified-adapter");
  return { name, version, path: prefix, sha256: record.adapterSha256 };
}

/** The adapter name under which `version` is published for `language`, when exactly one name has it. */
async function publishedName(bucket: R2Bucket, language: string, version: string): Promise<string> {
  const listed = await bucket.list({ prefix: `adapters/${language}/`, delimiter: "/", limit: 1000 });
  const names: string[] = [];
  for (const prefix of listed.delimitedPrefixes) {
    const name = prefix.slice(`adapters/${language}/`.length, -1);
    if (await bucket.head(`${versionPrefix(language, name, version)}${VERSION_RECORD}`)) names.push(name);
  }
  if (names.length === 1) return names[0] as string;
  if (names.length === 0)
    throw apiError(
      404,
      `version ${version} is not published for ${language}`,
      "unknown_version",
      "invalid_request_error",
      "version",
    );
  throw apiError(
    400,
    `version ${version} is published under several names (${names.join(", ")}): pass "name"`,
    "ambiguous_version",
    "invalid_request_error",
    "name",
  );
}

export const adminRollout = new Hono<AppEnv>()
  .use("/admin/rollout/*", requireAdmin)
  .get("/admin/rollout/:language", async (c) => {
    const language = languageParam(c);
    const { manifest } = await adminStore(readStoredManifest(c.env.ADAPTERS, c.get("config").MANIFEST_KEY));
    const entry = manifest?.languages[language];
    const guard = await guardFor(c.env, language).status(entry?.canary ? canaryRunOf(entry.canary) : null);
    return c.json({
      language,
      revision: manifest?.revision ?? null,
      stable: entry?.adapter ?? null,
      canary: entry?.canary ?? null,
      previous: entry?.previous ?? [],
      guard: { canaryRun: guard.canaryRun, live: guard.decision, verdicts: guard.verdicts },
      history: await rolloutHistory(c.env.ADAPTERS, manifest, language),
    });
  })
  .post(
    "/admin/rollout/:language",
    requireJson,
    zValidator("json", RolloutRequestSchema, validationHook),
    async (c) => {
      const language = languageParam(c);
      const request = c.req.valid("json");
      const bucket = c.env.ADAPTERS;
      let command: RolloutCommand;
      if (request.action === "canary") {
        const name = request.name ?? (await publishedName(bucket, language, request.version));
        command = {
          action: "canary",
          adapter: await publishedRef(bucket, language, name, request.version),
          share: request.share,
          at: new Date().toISOString(),
          ...(request.autoPromoteAfter ? { autoPromoteAfter: request.autoPromoteAfter } : {}),
          ...(request.guard ? { guard: request.guard } : {}),
        };
      } else {
        command = { action: request.action };
      }
      // Refused transitions answer before the upstream is asked to load anything.
      const { manifest } = await adminStore(readStoredManifest(bucket, c.get("config").MANIFEST_KEY));
      const dryRun = applyRollout(manifest?.languages[language], command);
      if (!dryRun.ok) throw apiError(dryRun.status, dryRun.message, dryRun.refusal);
      // The upstream must have every adapter the new entry routes to before any traffic goes to it: the canary, and
      // for a rollback the stable adapter it restores, which the server may have dropped since.
      const load = await ensureUpstreamHasAll(c.get("config"), dryRun.entry);
      if (!load.ok) throw apiError(502, load.message, "upstream_refused_adapter", "upstream_error");
      const outcome = await adminStore(
        changeManifest(bucket, c.get("config").MANIFEST_KEY, {
          language,
          action: request.action,
          actor: "admin",
          reason: request.reason ?? `${request.action} by an operator`,
          change: rolloutChange(command),
          ...(request.action === "canary" ? { share: request.share } : {}),
        }),
      );
      switch (outcome.kind) {
        case "committed":
          return c.json({
            revision: outcome.manifest.revision,
            event: outcome.event,
            entry: outcome.manifest.languages[language],
          });
        case "refused":
          throw apiError(outcome.result.status as ContentfulStatusCode, outcome.result.message, outcome.result.refusal);
        case "lost-race":
          throw apiError(
            409,
            "the manifest changed while this change was applied; read it again and retry",
            "manifest_changed",
          );
        case "no-manifest":
          throw apiError(404, "there is no manifest yet: publish an adapter first", "no_manifest");
      }
    },
  );
