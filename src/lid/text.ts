/**
 * The text LID looks at: the last user message, without code blocks, inline code and URLs, which are language-neutral
 * and would pull short queries towards English.
 */

export type MessageContent = string | null | undefined | ReadonlyArray<{ type: string; text?: string | undefined }>;

export interface ChatMessageLike {
  role: string;
  content?: MessageContent;
}

const FENCED_CODE = /```[\s\S]*?(?:```|$)/g;
const INLINE_CODE = /`[^`\n]*`/g;
const URL = /\b(?:https?:\/\/|www\.)\S+/gi;
const EMAIL = /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g;

/** Plain text of one message's content (string, or the text parts of a multi-part content array). */
export function contentText(content: MessageContent): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text)
    .join("\n");
}

/** Remove code and links. When nothing is left, the original text is returned: better some signal than none. */
export function stripNonProse(text: string): string {
  const stripped = text
    .replace(FENCED_CODE, " ")
    .replace(INLINE_CODE, " ")
    .replace(URL, " ")
    .replace(EMAIL, " ")
    .trim();
  return stripped.length > 0 ? stripped : text.trim();
}

/** The text to identify for a chat request: the last user message's prose. */
export function textForIdentification(messages: readonly ChatMessageLike[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === "user") return stripNonProse(contentText(message.content));
  }
  return "";
}
