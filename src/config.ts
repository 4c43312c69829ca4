/**
 * The worker's configuration: every variable and secret parsed once per environment object with zod, so a bad value
 * is one clear error (reported by `/healthz`, and as a 500 `misconfigured` on other endpoints) rather than a silent
 * default at the place that happens to read it.
 *
 * Defaults live here and nowhere else; `wrangler.toml` sets only what a deployment changes. Secrets (`wrangler secret
 * put`, or `local.env` locally: `wrangler dev --env-file local.env`): `CLIENT_API_KEYS`, `UPSTREAM_API_KEY`, `ADMIN_TOKEN`.
 */
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { apiError } from "./errors";
import type { AppEnv } from "./types";

/** An integer variable within [min, max]; the message names the expected form, since vars are always strings. */
const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected a whole number in [${min}, ${max}]`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

const number = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(?:\.\d+)?$/, `expected a number in [${min}, ${max}]`)
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .default(fallback);

/** A comma- or newline-separated list; blanks dropped. */
const list = (fallback = "") =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false"], { message: 'expected "true" or "false"' })
    .default(fallback ? "true" : "false")
    .transform((value) => value === "true");

const httpUrl = z
  .url({ protocol: /^https?$/, message: "expected an http(s) URL" })
  .transform((url) => url.replace(/\/+$/, ""));

export const ConfigSchema = z
  .object({
    /** `openai`: an OpenAI-compatible server taking the adapter as the model name (vLLM, LoRAX); `workers-ai`. */
    UPSTREAM_KIND: z.enum(["openai", "workers-ai"]).default("openai"),
    /** Root of the OpenAI-compatible upstream. Required for `openai`; deliberately without a default. */
    UPSTREAM_URL: httpUrl.optional(),
    /** Deadline for the upstream's response headers. */
    UPSTREAM_TIMEOUT_MS: int(30_000, 1, 600_000),
    /** Longest silence allowed between two chunks of an upstream stream. */
    UPSTREAM_IDLE_TIMEOUT_MS: int(30_000, 1, 600_000),
    /** Secret: the upstream's API key (vLLM `--api-key`), sent as `Authorization: Bearer`. */
    UPSTREAM_API_KEY: z.string().min(1).optional(),
    /** Key of the adapter manifest in the ADAPTERS bucket, and how long an isolate trusts its copy. */
    MANIFEST_KEY: z.string().min(1).default("manifest.json"),
    MANIFEST_TTL_MS: int(30_000, 0, 3_600_000),
    /** Below this LID confidence a request counts as language-unknown and goes to the base model. */
    LID_MIN_CONFIDENCE: number(0.5, 0, 1),
    /** Request bodies above this many bytes are refused with 413. */
    MAX_BODY_BYTES: int(1_048_576, 1, 100 * 1_048_576),
    /** Model id used when no manifest is in force (the manifest's baseModel wins when there is one). */
    BASE_MODEL: z.string().min(1).default("base"),
    /**
     * `keys`: clients send `Authorization: Bearer <key>` with a key from the secret CLIENT_API_KEYS; `passthrough`:
     * the client's own key goes to the upstream, which checks it; `none`: no check (local development only).
     */
    AUTH_MODE: z.enum(["keys", "passthrough", "none"]).default("keys"),
    /** Secret: accepted client keys, comma- or newline-separated. */
    CLIENT_API_KEYS: list(),
    /** Secret: the bearer token of the admin API (rollout, triggers, drift). Unset: every admin call is 401. */
    ADMIN_TOKEN: z.string().min(16, "ADMIN_TOKEN must be at least 16 characters").optional(),
    /** Cost bounds on what a client may ask the upstream for. */
    MAX_TOKENS_LIMIT: int(4096, 1, 1_000_000),
    MAX_N: int(4, 1, 128),
    /** `model` values that mean "route by language" (the client names no adapter). */
    MODEL_ALIASES: list("auto"),
    /** Origins allowed to call from a browser (`*` for any); empty: no CORS headers. */
    CORS_ORIGINS: list(),
    /** Trust `x-compass-region` over `request.cf` (local development, demos, tests; never in production). */
    TRUST_REGION_HEADER: bool(false),
    /** Drift telemetry on routed chat requests whose language has a cluster model (src/drift/record.ts). */
    DRIFT_TELEMETRY: bool(true),
    /** The granularity of a drift region: `request.cf`'s colo (IATA code), country or continent. */
    DRIFT_REGION_BY: z.enum(["colo", "country", "continent"]).default("continent"),
    /**
     * Keep a bounded sample (≤ 250 texts of ≤ 1,000 characters) of each drift window's identified texts, written to
     * the ADAPTERS bucket at `windows/{language}/{region}/{trigger}.jsonl` when the window triggers.
     */
    DRIFT_SAMPLE_TEXTS: bool(true),
    /**
     * How the upstream gets an adapter before traffic goes to it. `none`: it has them by its own means (vLLM
     * `--lora-modules` or a LoRA resolver plugin, LoRAX `adapter_source`). `vllm`: the rollout calls vLLM's
     * `POST /v1/load_lora_adapter` (server started with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True) before a canary or a
     * first stable adapter goes live, and refuses the change when the upstream refuses the adapter.
     */
    UPSTREAM_ADAPTER_LOADING: z.enum(["none", "vllm"]).default("none"),
    /** Where the upstream sees the ADAPTERS bucket (a mount or a synced copy): `lora_path` = this + the version's key prefix. */
    UPSTREAM_ADAPTER_ROOT: z.string().min(1).optional(),
  })
  .superRefine((config, ctx) => {
    if (
      config.UPSTREAM_ADAPTER_LOADING === "vllm" &&
      (config.UPSTREAM_KIND !== "openai" || !config.UPSTREAM_ADAPTER_ROOT)
    )
      ctx.addIssue({
        code: "custom",
        path: ["UPSTREAM_ADAPTER_ROOT"],
        message: "UPSTREAM_ADAPTER_LOADING=vllm needs UPSTREAM_KIND=openai and the bucket's path on the server",
      });
    if (config.UPSTREAM_KIND === "openai" && !config.UPSTREAM_URL)
      ctx.addIssue({ code: "custom", path: ["UPSTREAM_URL"], message: "required when UPSTREAM_KIND is openai" });
    if (config.AUTH_MODE === "keys" && config.CLIENT_API_KEYS.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["CLIENT_API_KEYS"],
        message: "AUTH_MODE=keys needs at least one key in the secret CLIENT_API_KEYS",
      });
  });

export type Config = z.output<typeof ConfigSchema>;

/** The outcome of parsing an environment: the config, or every problem named by variable. */
export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

// Keyed by the env object: workerd hands an isolate the same env for every request, so this parses once per
// isolate; tests that pass their own env objects get their own parse.
const parsed = new WeakMap<object, ConfigResult>();

/** Parse (once per env object) the worker's variables and secrets. */
export function readConfig(env: Env): ConfigResult {
  const hit = parsed.get(env);
  if (hit) return hit;
  const vars: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = (env as unknown as Record<string, unknown>)[key];
    // An empty string is "unset" (wrangler `--var X:` and blank env-file lines produce one).
    if (typeof value === "string" && value !== "") vars[key] = value;
    else if (value !== undefined && typeof value !== "string") vars[key] = value;
  }
  const result = ConfigSchema.safeParse(vars);
  const outcome: ConfigResult = result.success
    ? { ok: true, config: result.data }
    : {
        ok: false,
        problems: result.error.issues.map(
          (issue) => `${issue.path.map(String).join(".") || "config"}: ${issue.message}`,
        ),
      };
  if (!outcome.ok) console.error(`compass: invalid configuration: ${outcome.problems.join("; ")}`);
  parsed.set(env, outcome);
  return outcome;
}

/** The parsed config; throws the OpenAI-shaped 500 that every endpoint but `/healthz` answers when it is invalid. */
export function getConfig(env: Env): Config {
  const result = readConfig(env);
  if (result.ok) return result.config;
  throw apiError(
    500,
    "the worker's configuration is invalid; GET /healthz names the variables",
    "misconfigured",
    "server_error",
  );
}

/** Middleware: puts the parsed config on the context as `config` (500 `misconfigured` when it is invalid). */
export const withConfig = createMiddleware<AppEnv>(async function withConfig(c, next) {
  c.set("config", getConfig(c.env));
  await next();
});
