/** What every upstream kind implements, and the error it raises: one module, so the upstreams import no cycle. */
import type { RouteDecision } from "../route";
import type { ChatCompletionRequest } from "../schemas";

export interface Upstream {
  readonly kind: "openai" | "workers-ai";
  /** Send the request; resolves once response headers are in (the body may still be streaming). */
  complete(request: ChatCompletionRequest, decision: RouteDecision, signal: AbortSignal): Promise<Response>;
}

/** Raised by upstreams for failures that are the upstream's, not the client's. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: 502 | 504,
    readonly upstreamStatus?: number,
  ) {
    super(message);
  }
}
