/** Request schemas (zod) for the public endpoints. Unknown OpenAI fields pass through to the upstream untouched. */
import { z } from "zod";

const TextPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const OtherPart = z.looseObject({ type: z.string().refine((t) => t !== "text") });

export const ChatMessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.null(), z.array(z.union([TextPart, OtherPart]))]).optional(),
  name: z.string().optional(),
});

export const ChatCompletionRequestSchema = z.looseObject({
  model: z.string().optional(),
  messages: z.array(ChatMessageSchema).min(1, "messages must hold at least one message"),
  stream: z.boolean().optional(),
  max_tokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
});

export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const RouteRequestSchema = z.union([
  z.object({ text: z.string() }),
  z.object({ messages: z.array(ChatMessageSchema).min(1, "messages must hold at least one message") }),
]);

export type RouteRequest = z.infer<typeof RouteRequestSchema>;
