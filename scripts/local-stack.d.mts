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
  upstreamUrl?: string;
  persist?: string;
  vars?: Record<string, string>;
  manifest?: string;
}): Promise<LocalStack>;
