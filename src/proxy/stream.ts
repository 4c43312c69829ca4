/**
 * Bounded reads of what an upstream sends: a stream guarded by an idle timeout and checked for a proper end, error
 * bodies read up to a few KiB and then cancelled, completions read up to a bound.
 */
import { errorBody } from "../errors";

/** Why a stream from the upstream did not end properly; becomes the client's final SSE error event. */
export class StreamFault extends Error {
  constructor(
    message: string,
    readonly code: "upstream_idle_timeout" | "upstream_truncated" | "upstream_stream_failed",
  ) {
    super(message);
  }
}

// An OpenAI stream (and a Workers AI one) ends with this event; a stream that stops without it was cut short.
const DONE_AT_END = /data:\s*\[DONE\]\s*$/;
const encoder = new TextEncoder();

/**
 * Re-emit `source` chunk by chunk. The stream errors with a `StreamFault` when the upstream sends nothing for
 * `idleMs` (the upstream read is cancelled), when reading fails, or when it ends without `data: [DONE]`.
 */
export function guardStream(source: ReadableStream<Uint8Array>, idleMs: number): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  let tail = "";
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<"stalled">((resolve) => {
        timer = setTimeout(() => resolve("stalled"), idleMs);
      });
      let result: ReadableStreamReadResult<Uint8Array> | "stalled";
      try {
        result = await Promise.race([reader.read(), stalled]);
      } catch (err) {
        console.warn("compass: upstream stream failed", String(err));
        controller.error(new StreamFault("the upstream's stream failed mid-way", "upstream_stream_failed"));
        return;
      } finally {
        clearTimeout(timer);
      }
      if (result === "stalled") {
        reader.cancel("idle timeout").catch(() => {});
        controller.error(new StreamFault(`the upstream sent nothing for ${idleMs} ms`, "upstream_idle_timeout"));
      } else if (result.done) {
        if (DONE_AT_END.test(tail)) controller.close();
        else
          controller.error(new StreamFault("the upstream's stream ended before its final event", "upstream_truncated"));
      } else {
        tail = (tail + decoder.decode(result.value, { stream: true })).slice(-64);
        controller.enqueue(result.value);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * Pass `stream` through; if it errors, end it with one OpenAI-shaped error event (`data: {"error": …}`) instead of a
 * clean end, so that a client (the OpenAI SDKs raise on such an event) can tell the answer was cut short.
 */
export function endWithErrorEvent(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (err) {
        const fault =
          err instanceof StreamFault ? err : new StreamFault("the upstream's stream failed", "upstream_stream_failed");
        console.warn(`compass: stream ended early (${fault.code})`);
        const event = errorBody(fault.message, "upstream_error", fault.code);
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`));
        controller.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** An upstream SSE body as the client gets it: idle-guarded, optionally re-framed, faults as a final error event. */
export function guardedSse(
  source: ReadableStream<Uint8Array>,
  idleMs: number,
  reframe?: TransformStream<Uint8Array, Uint8Array>,
): ReadableStream<Uint8Array> {
  const guarded = guardStream(source, idleMs);
  return endWithErrorEvent(reframe ? guarded.pipeThrough(reframe) : guarded);
}

/**
 * Read at most `limit` bytes of `body`, then cancel the rest. `complete` tells whether the body ended within the
 * bound. Used for error bodies (kept for the log, never echoed) and for completions (bounded before parsing).
 */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<{ bytes: Uint8Array; complete: boolean }> {
  if (!body) return { bytes: new Uint8Array(0), complete: true };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let complete = false;
  try {
    while (size <= limit) {
      const { done, value } = await reader.read();
      if (done) {
        complete = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    if (!complete) reader.cancel("bounded read").catch(() => {});
  }
  if (chunks.length === 1 && size <= limit) return { bytes: chunks[0] as Uint8Array, complete };
  const bytes = new Uint8Array(Math.min(size, limit));
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= bytes.length) break;
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return { bytes, complete: complete && size <= limit };
}
