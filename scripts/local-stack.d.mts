/** Types of scripts/local-stack.mjs for the TypeScript end-to-end tests. */
export declare const LOCAL_ADMIN_TOKEN: string;
export declare function freePort(): Promise<number>;
export interface LocalStack {
  workerUrl: string;
  upstreamUrl: string;
  stop(): Promise<void>;
  r2Put(key: string, file: string): void;
  readonly log: string;
}
export declare function startLocalStack(options?: {
  workerPort?: number;
  upstreamPort?: number;
  upstreamUrl?: string;
  upstream?: { apiKey?: string; baseModel?: string; failing?: string[] };
  persist?: string;
  adminToken?: string;
  seed?: boolean;
  vars?: Record<string, string>;
  manifest?: string;
}): Promise<LocalStack>;
