import { app } from "./app";
import { consumeTriggers } from "./drift/queue";

export { TriggerLog } from "./drift/trigger-log.do";
export { DriftWindow } from "./drift/window.do";
export { RolloutGuard } from "./registry/guard.do";

export default {
  fetch: app.fetch,
  queue: consumeTriggers,
} satisfies ExportedHandler<Env>;
