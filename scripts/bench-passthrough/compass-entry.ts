// The bench's in-bundle floor: compass's own worker (same bundle, bindings and workerd process) with one extra path,
// POST /bench/passthrough, that forwards the body to the upstream as the bare passthrough worker does. compass's own
// added latency is then measured within one process: POST /v1/chat/completions minus this path. Bench only: wrangler
// runs it through a generated copy of wrangler.toml (scripts/bench.mjs); it is never deployed.
import worker from "../../src/index";

export { DriftWindow, RolloutGuard, TriggerLog } from "../../src/index";

export default {
  ...worker,
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    if (new URL(request.url).pathname !== "/bench/passthrough") return worker.fetch(request, env, ctx);
    // UPSTREAM_URL has no default in wrangler.toml (so Env lacks it); the bench passes it with --var.
    const { UPSTREAM_URL } = env as Env & { UPSTREAM_URL: string };
    const res = await fetch(`${UPSTREAM_URL}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: await request.text(),
    });
    return new Response(res.body, { status: res.status, headers: { "content-type": "application/json" } });
  },
} satisfies ExportedHandler<Env>;
