import type { Context } from "hono";
import { apiError } from "../errors";
import { type Detection, detectLanguage } from "../lid/detect";
import { type ChatMessageLike, stripNonLanguage, textForIdentification } from "../lid/text";
import { canaryDraw, decideRoute, namedModelDecision, type RouteDecision, resolveModel } from "../route";
import type { AppEnv } from "../types";

/** Header a client may send to stay on one side of a canary (e.g. a hashed user id). */
export const STICKY_HEADER = "x-compass-sticky-key";

const NO_DETECTION: Detection = { language: null, confidence: 0, runnerUp: null, empty: false };

/**
 * LID reads at most this many characters of the routing text. Its cost grows with the text (1–2 µs a character for
 * Latin script, measured: 2,300 characters took 2.3–3.6 ms), while a few hundred characters already decide the language;
 * the cap bounds the per-request cost of a long prompt. Drift telemetry still sketches the whole text.
 */
export const LID_MAX_CHARS = 512;

/**
 * The text LID reads: the request's own when its prose (what is left once code, URLs and the like are removed) is
 * within LID_MAX_CHARS, else the first LID_MAX_CHARS characters of that prose, so that a long code block at the start
 * cannot push the prose out of reach.
 */
function lidInput(text: string): string {
  if (text.length <= LID_MAX_CHARS) return text;
  const prose = stripNonLanguage(text);
  return prose.length > LID_MAX_CHARS ? prose.slice(0, LID_MAX_CHARS) : prose;
}

/** What a request gives routing: the text to identify, the field it came from, and the client's `model`. */
export interface RoutingInput {
  text: string;
  param: string;
  model?: string | null | undefined;
  /** The user turns hold only non-text parts (images): route without LID instead of refusing. */
  textless?: boolean;
}

/**
 * The text to identify in a chat request: the last user turn's, or, when that turn is only images (no text part),
 * the nearest earlier user turn with text. `textless` when no user turn has text but some have other parts.
 */
export function chatRoutingText(messages: readonly ChatMessageLike[]): { text: string; textless: boolean } {
  let sawParts = false;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== "user") continue;
    const text = textForIdentification([message]);
    if (text.trim().length > 0) return { text, textless: false };
    const parts = Array.isArray(message.content) && message.content.some((part) => part.type !== "text");
    // An empty or blank text turn is the client's mistake (400); a turn of images alone is a question about them.
    if (!parts) return { text, textless: sawParts };
    sawParts = true;
  }
  return { text: "", textless: sawParts };
}

/**
 * LID on the input's text, then the adapter choice against the manifest in force (or the client's explicit model).
 * 404 `model_not_found` for a model that is neither an alias, an adapter nor the base model; 400 when there is no
 * text to identify.
 */
export function decide(c: Context<AppEnv>, input: RoutingInput): RouteDecision {
  const config = c.get("config");
  const manifest = c.get("manifest");
  const choice = resolveModel(input.model, manifest, config.MODEL_ALIASES, config.BASE_MODEL);
  if (choice.kind === "unknown")
    throw apiError(
      404,
      `the model '${input.model}' does not exist; GET /v1/models lists them ('${config.MODEL_ALIASES[0] ?? "auto"}' routes by language)`,
      "model_not_found",
      "invalid_request_error",
      "model",
    );
  let detection = NO_DETECTION;
  if (input.text.trim().length > 0) detection = detectLanguage(lidInput(input.text));
  else if (!input.textless)
    throw apiError(
      400,
      "there is no text to identify the language of",
      "empty_text",
      "invalid_request_error",
      input.param,
    );
  const decision =
    choice.kind === "named"
      ? namedModelDecision(detection, choice.adapter, manifest, config.BASE_MODEL)
      : input.textless
        ? { ...namedModelDecision(detection, null, manifest, config.BASE_MODEL), reason: "no-text" as const }
        : decideRoute(detection, manifest, {
            minConfidence: config.LID_MIN_CONFIDENCE,
            defaultBaseModel: config.BASE_MODEL,
            canaryDraw: canaryDraw(c.req.header(STICKY_HEADER)),
          });
  c.set("decision", decision);
  return decision;
}
