/**
 * Request schemas (zod) for the public endpoints.
 *
 * Unknown-field policy: a chat request may carry only the parameters of OpenAI's chat completions API (and the few
 * sampling extensions vLLM and Workers AI share); any other top-level field is refused with 400 `unknown_parameter`
 * naming it, so nothing the worker has not bounded reaches the GPU server (vLLM's `best_of`, `min_tokens`, …).
 * Messages stay open (tool calls, audio, refusals and future parts pass through as sent).
 */
import { z } from "zod";

const TextPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const OtherPart = z.looseObject({ type: z.string().refine((t) => t !== "text") });

export const ChatMessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.null(), z.array(z.union([TextPart, OtherPart]))]).optional(),
  name: z.string().optional(),
});

const positiveInt = z.number().int().positive();

export const ChatCompletionRequestSchema = z.strictObject({
  model: z.string().optional(),
  messages: z.array(ChatMessageSchema).min(1, "messages must hold at least one message"),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  // Bounded against MAX_TOKENS_LIMIT and MAX_N by the handler (the bounds are configuration).
  max_tokens: positiveInt.nullable().optional(),
  max_completion_tokens: positiveInt.nullable().optional(),
  n: positiveInt.nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  top_k: z.number().int().nullable().optional(),
  min_p: z.number().min(0).max(1).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  repetition_penalty: z.number().positive().nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  seed: z.number().int().nullable().optional(),
  logit_bias: z.record(z.string(), z.number()).nullable().optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  response_format: z.looseObject({ type: z.string() }).optional(),
  tools: z.array(z.looseObject({ type: z.string() })).optional(),
  tool_choice: z.union([z.string(), z.looseObject({ type: z.string() })]).optional(),
  parallel_tool_calls: z.boolean().optional(),
  functions: z.array(z.looseObject({ name: z.string() })).optional(),
  function_call: z.union([z.string(), z.looseObject({ name: z.string() })]).optional(),
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  store: z.boolean().nullable().optional(),
  reasoning_effort: z.string().nullable().optional(),
  service_tier: z.string().nullable().optional(),
});

export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const RouteRequestSchema = z.union([
  z.object({ text: z.string() }),
  z.object({ messages: z.array(ChatMessageSchema).min(1, "messages must hold at least one message") }),
]);

export type RouteRequest = z.infer<typeof RouteRequestSchema>;
