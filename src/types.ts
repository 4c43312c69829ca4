import type { Manifest } from "../adapters/manifest";
import type { RouteDecision } from "./route";

/** The app's one environment type: bindings come from wrangler.toml via `wrangler types`. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The manifest in force for this request, or null when missing or invalid (base-model routing). */
    manifest: Manifest | null;
    decision: RouteDecision;
  };
}
