/** What every upstream kind implements, and the error it raises: one module, so the upstreams import no cycle. */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorType } from "../errors";
import type { RouteDecision } from "../route";
import type { ChatCompletionRequest } from "../schemas";

export interface Upstream {
  readonly kind: "openai" | "workers-ai";
  /**
   * Send the request; resolves once the answer is known good: a whole, valid JSON completion, or the headers of a
   * stream (whose body is then guarded by `guardStream`). Failures throw `UpstreamError`.
   */
  complete(request: ChatCompletionRequest, decision: RouteDecision, signal: AbortSignal): Promise<Response>;
}

/**
 * A failure that is the upstream's (or that the upstream reported about the request): what the client is answered,
 * in OpenAI's error shape. The message is compass's own and never quotes the upstream's body (which can name hosts
 * and internals); `headers` carries the few upstream headers a client needs (`Retry-After`, `x-ratelimit-*`).
 */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly type: ErrorType = "upstream_error",
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
