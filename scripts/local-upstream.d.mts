/** Types of scripts/local-upstream.mjs for the TypeScript end-to-end tests. */
import type { Server } from "node:http";
export declare function startLocalUpstream(
  port?: number,
  options?: { apiKey?: string; baseModel?: string; failing?: string[] },
): Promise<Server>;
