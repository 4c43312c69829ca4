// The demo's traffic generator: multilingual chat requests (and some no language can be identified in) from several
// regions, sent through the compass worker. The worker trusts `x-compass-region` only with TRUST_REGION_HEADER=true
// (local runs); a deployment takes the region from request.cf.
//
// A phase is { requests, regions: { <region>: { sw: texts, weight } }, otherShare, unknownShare }: each request picks a
// region by weight, then a Swahili text of that region's mix, another language's text, or an unidentifiable one.

/** Requests in flight at once **[choice: 12, enough to keep a local wrangler dev busy on 2 cores]**. */
const CONCURRENCY = 12;
/** One request waits at most this long. */
const REQUEST_TIMEOUT_MS = 15_000;

/** Texts with no language to identify: numbers, symbols, emoji. */
export const UNIDENTIFIABLE = ["12345 + 678 = ?", "🙂🙂🙂 👍", "#!/usr/bin/env bash", "3.14159 2.71828", "→ ← ↑ ↓"];

/** A deterministic PRNG (mulberry32), so a demo run's traffic is the same every time. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Send one phase of traffic. Returns per-request outcomes counted by status and by the worker's routing reason, and
 * calls `log.mark(index)` as requests complete so the caller can map times to request numbers.
 */
export async function sendPhase(base, phase, { random, others, counter, stopWhen }) {
  const regions = Object.entries(phase.regions);
  const totalWeight = regions.reduce((sum, [, r]) => sum + r.weight, 0);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const stats = { sent: 0, status: {}, reason: {}, adapters: {} };
  let next = 0;
  let stopped = false;
  const one = async () => {
    const draw = random() * totalWeight;
    let cumulative = 0;
    const [region, mix] =
      regions.find(([, r]) => {
        cumulative += r.weight;
        return draw < cumulative;
      }) ?? regions[0];
    const kind = random();
    const text =
      kind < phase.unknownShare
        ? pick(UNIDENTIFIABLE)
        : kind < phase.unknownShare + phase.otherShare
          ? pick(others)
          : pick(mix.sw);
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-compass-region": region },
      body: JSON.stringify({ messages: [{ role: "user", content: text }] }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    stats.status[res.status] = (stats.status[res.status] ?? 0) + 1;
    const reason = res.headers.get("x-compass-reason") ?? "none";
    stats.reason[reason] = (stats.reason[reason] ?? 0) + 1;
    const adapter = res.headers.get("x-compass-adapter");
    if (adapter) stats.adapters[adapter] = (stats.adapters[adapter] ?? 0) + 1;
    counter.done += 1;
    counter.marks.push([Date.now(), counter.done]);
  };
  const worker = async () => {
    while (!stopped && next < phase.requests) {
      next += 1;
      stats.sent += 1;
      await one();
      if (stopWhen && next % 50 === 0 && (await stopWhen())) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return stats;
}

/** The request number (1-based, over the whole run) completed at `time` (ms), from the counter's marks. */
export function requestAt(counter, time) {
  let lo = 0;
  let hi = counter.marks.length - 1;
  if (hi < 0 || time < counter.marks[0][0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (counter.marks[mid][0] <= time) lo = mid;
    else hi = mid - 1;
  }
  return counter.marks[lo][1];
}
