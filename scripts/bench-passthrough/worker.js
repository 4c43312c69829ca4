// The bench's floor: the least a Worker can do as a proxy (read the body, one fetch, hand the answer back), run under
// `wrangler dev` exactly like compass, so that workerd's own outbound cost is measured beside compass's.
export default {
  async fetch(request, env) {
    if (request.method === "GET") return new Response("ok");
    // The dev server's hop for a request with a body: read it, answer without going anywhere.
    if (new URL(request.url).pathname === "/hop") return new Response(`read ${(await request.text()).length}`);
    const res = await fetch(`${env.UPSTREAM_URL}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: await request.text(),
    });
    return new Response(res.body, { status: res.status, headers: { "content-type": "application/json" } });
  },
};
