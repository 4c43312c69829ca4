// A bench-only worker around the real DriftWindow Durable Object (scripts/bench-drift.mjs starts it under
// `wrangler dev -c scripts/bench/wrangler.drift-object.toml`): `GET /?batch=N&calls=M&concurrency=C&name=X` sends M
// batches of N in-distribution assignments to the object X, C at a time, and answers when all are applied.
import { DriftWindow } from "../../src/drift/window.do";

export { DriftWindow };

const MODEL = { version: "bench", reference: Array.from({ length: 64 }, () => 1 / 64), theta: 0.15 };

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const size = Number(url.searchParams.get("batch") ?? 100);
    const calls = Number(url.searchParams.get("calls") ?? 100);
    const concurrency = Number(url.searchParams.get("concurrency") ?? 4);
    const name = url.searchParams.get("name") ?? "bench";
    const stub = env.DRIFT_WINDOWS.get(env.DRIFT_WINDOWS.idFromName(name));
    let next = 0;
    let accepted = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < calls) {
          const n = next++;
          const clusters = Array.from({ length: size }, (_, i) => (n * size + i) % 64);
          const result = await stub.record(
            { id: `${name}-${n}`, language: "sw", region: "bench", model: MODEL, clusters, texts: null },
            "region",
          );
          accepted += result.accepted;
        }
      }),
    );
    return Response.json({ accepted });
  },
} satisfies ExportedHandler<Env>;
