/**
 * Global setup of the worker tests (Node, before workerd starts): the local OpenAI-compatible upstream in its vLLM
 * mode (only the base model and adapters loaded through `POST /v1/load_lora_adapter` are served, unknown ones answer
 * 404) on a free 127.0.0.1 port, handed to the tests as `inject("vllmUpstreamUrl")`.
 */
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";
import { startLocalUpstream } from "../../scripts/local-upstream.mjs";

/** The base model the upstream serves (the test manifests' baseModel). */
export const VLLM_BASE_MODEL = "meta-llama/Llama-3.1-8B-Instruct";

declare module "vitest" {
  export interface ProvidedContext {
    vllmUpstreamUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startLocalUpstream(0, { baseModel: VLLM_BASE_MODEL });
  project.provide("vllmUpstreamUrl", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
