/**
 * Bounded waits and retried deliveries for the work an isolate does off the response path (drift batches, canary
 * guard batches): every call has a timeout, a failed call is retried with backoff, and a delivery that fails every
 * attempt is reported to the caller, which logs it. Nothing here throws into a request.
 */

/** `promise`, or a rejection once `ms` have passed. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** Per attempt. */
  timeoutMs: number;
}

/** Batches to Durable Objects: 3 attempts of 5 s each, 100 ms then 400 ms apart. */
export const BATCH_DELIVERY: RetryPolicy = { attempts: 3, timeoutMs: 5_000 };

/**
 * Call `call` until it answers, at most `policy.attempts` times. Resolves to its answer, or to `{ lost: error }` when
 * every attempt failed or timed out. A timed-out attempt may still be applied by its target, so a call retried here
 * must be idempotent (the batches carry ids their objects apply once).
 */
export async function deliverWithRetries<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = BATCH_DELIVERY,
): Promise<{ answer: T } | { lost: unknown }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { answer: await withTimeout(call(), policy.timeoutMs) };
    } catch (err) {
      if (attempt >= policy.attempts) return { lost: err };
      await new Promise((resolve) => setTimeout(resolve, 100 * 4 ** (attempt - 1)));
    }
  }
}
