/**
 * The text LID looks at. Requests carry much that is in no language: code, placeholders of message catalogues,
 * command-line options, paths, URLs, e-mail addresses, identifiers, numbers, markup and entities. Left in, they pull
 * short queries towards English or whichever Latin-script language their letters resemble, and they outvote the few
 * Han or Cyrillic characters that carry the request's language. {@link stripNonLanguage} removes them.
 */

export type MessageContent = string | null | undefined | ReadonlyArray<{ type: string; text?: string | undefined }>;

export interface ChatMessageLike {
  role: string;
  content?: MessageContent;
}

/**
 * What carries no language, in the order it is removed (earlier patterns contain material later ones would split).
 * Each is replaced by a space so that the words on either side stay apart.
 */
const NON_LANGUAGE: readonly RegExp[] = [
  /```[\s\S]*?(?:```|$)/g, // fenced code blocks
  /`[^`\n]*`/g, // identifiers and code in backticks
  /<!--[\s\S]*?-->|<\/?[A-Za-z][^<>]*>/g, // markup tags and comments
  /&(?:[A-Za-z]+|#\d+|#x[\dA-Fa-f]+);/g, // entities
  /\b(?:[a-z][a-z\d+.-]*:\/\/|www\.)\S+/gi, // URLs
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, // e-mail addresses
  /\{\{[^{}]*\}\}|\$\{[^{}]*\}/g, // {{mustache}}, ${template}
  // ICU plural/select: the syntax goes, the branches' text stays ({n, plural, one {# Datei} other {# Dateien}})
  /\{\s*[\w.]+\s*,\s*(?:plural|select|selectordinal)\s*,|(?<=^|\s)(?:zero|one|two|few|many|other|=\d+)\s*\{/g,
  /\{\s*[\w.$-]*\s*(?:,[\w\s,.-]*)?\}/g, // brace and ICU arguments: {0}, {name}, {d, date, short}
  /%(?:\([^)\s]*\)|\d+\$)?[-+ #0]*\d*(?:\.\d+)?[sdifuxXeEgGcrap@]|%%/g, // printf: %s, %1$d, %(name)s, %.2f, %r
  /(?<=^|[\s("'[])(?:[A-Za-z]:)?(?:[~.]{0,2}[\\/][\w.@~+-]+)+[\\/]?/g, // paths: /usr/lib, ./x, ~/.config, C:\dir
  /(?<=^|[\s("'[])--?[A-Za-z][\w-]*(?:=\S*)?/g, // command-line options: --flag, -x, --key=value
  // CSS declarations: "color: red;", "border: 1px solid #ccc;", and a hyphenated property with a number (min-width: 40em)
  /(?<![\p{L}\p{N}_-])[a-z]+(?:-[a-z]+)*\s*:\s*[\w#.%(),'"/+-]+(?:\s+[\w#.%(),'"/+-]+){0,3}\s*;|(?<![\p{L}\p{N}_-])[a-z]+(?:-[a-z]+)+\s*:\s*-?\d[\d.]*[a-z%]*(?![\p{L}\p{N}])/gu,
  /\b\w+(?:\.\w+)*\(\)/g, // calls: get_absolute_url(), os.getcwd()
  /\b[A-Za-z_][\w-]*\.(?:[A-Za-z_]\w*\.)*[A-Za-z]\w{0,9}\b(?!\.\w)/g, // dotted names: config.yaml, os.path
  /\b\w*(?:_|[a-z][A-Z]|[A-Za-z]\d|\d[A-Za-z])\w*\b/g, // snake_case, camelCase, IPv4, utf8, x86
  /[\p{N}]+(?:[.,:/-][\p{N}]+)*/gu, // numbers, dates, versions
];

/** Acronyms (API, JSON, HTTPS); not applied to text without lower-case letters, which would vanish whole. */
const ACRONYM = /\b[A-Z][A-Z\d]+s?\b/g;

const LOWER = /\p{Ll}/u;
const LETTER = /\p{L}/u;

/**
 * Remove the parts of `text` that carry no language (see {@link NON_LANGUAGE}). Returns "" when nothing with a
 * letter is left: the caller then reports that there was nothing to identify rather than guessing from code.
 * Text without lower-case letters keeps its acronym-like words (all-caps prose would otherwise vanish).
 * @example stripNonLanguage("运行 `npm ci` 时报错 --verbose") === "运行   时报错  " (modulo spaces)
 */
export function stripNonLanguage(text: string): string {
  let out = text;
  for (const pattern of NON_LANGUAGE) out = out.replace(pattern, " ");
  if (LOWER.test(out)) out = out.replace(ACRONYM, " ");
  return LETTER.test(out) ? out : "";
}

/** Plain text of one message's content (string, or the text parts of a multi-part content array). */
export function contentText(content: MessageContent): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text)
    .join("\n");
}

/** The text to identify for a chat request: the last user message (detectLanguage strips what carries no language). */
export function textForIdentification(messages: readonly ChatMessageLike[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === "user") return contentText(message.content);
  }
  return "";
}
