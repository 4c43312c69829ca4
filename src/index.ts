import { app } from "./app";

export { RolloutGuard } from "./registry/guard.do";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
