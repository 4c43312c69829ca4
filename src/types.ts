import type { Manifest } from "../adapters/manifest";
import type { Config } from "./config";
import type { RouteDecision } from "./route";

/** The app's one environment type: bindings come from wrangler.toml via `wrangler types`. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The worker's configuration, parsed once per isolate (`src/config.ts`). */
    config: Config;
    /** The key the upstream call carries: UPSTREAM_API_KEY, or the client's own with AUTH_MODE=passthrough. */
    upstreamKey: string | null;
    /** The manifest in force for this request, or null when missing or invalid (base-model routing). */
    manifest: Manifest | null;
    decision: RouteDecision;
  };
}
