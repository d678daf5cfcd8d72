import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Scrubber } from '../secrets.js';
import type { WorkCache } from '../store/cache.js';
import { createFairLimiter, type FairLimiter } from './fair-limiter.js';
import { createHuggingFaceProvider } from './huggingface-provider.js';
import { createLlmClient } from './llm-client.js';
import { createOllamaProvider } from './ollama-provider.js';
import { createOpenAiProvider } from './openai-provider.js';
import { createPromptLog, type PromptLog } from './prompt-log.js';
import { withSharedSlots } from './shared-slots.js';
import type { ChatProvider, LlmClient } from './types.js';

export type { FairLimiter, PromptLog };
export { createFairLimiter } from './fair-limiter.js';
export { createLlmClient, contextTokensFor } from './llm-client.js';
export { createOllamaProvider } from './ollama-provider.js';
export { createHuggingFaceProvider } from './huggingface-provider.js';
export { createOpenAiProvider } from './openai-provider.js';
export { createPromptLog } from './prompt-log.js';
export { toProviderJsonSchema } from './json-schema.js';
export type * from './types.js';

export interface LlmDeps {
  cache?: WorkCache;
  logger: Logger;
  scrub: Scrubber;
  /** Share one limiter between clients (e.g. a bench that builds several); one per client otherwise. */
  limiter?: FairLimiter;
  fetch?: typeof fetch;
  metrics?: Metrics;
  /** REDIS_URL mode: LLM_CONCURRENCY holds across every process calling the same model host. */
  shared?: { redis: Redis; prefix: string };
}

/** Builds the configured provider and wraps it into the LlmClient the entry points hand to the pipeline. */
export function createLlmFromConfig(config: Config, deps: LlmDeps): LlmClient {
  const provider = createProviderFromConfig(config, deps.fetch);
  let limiter = deps.limiter ?? createFairLimiter(config.llm.concurrency);
  if (deps.shared) {
    const key = `${deps.shared.prefix}:llm-slots:${provider.name}:${provider.host}`;
    limiter = withSharedSlots(limiter, deps.shared.redis, { key, limit: config.llm.concurrency, logger: deps.logger });
  }
  return createLlmClient({
    provider,
    limiter,
    cache: deps.cache,
    promptLog: createPromptLog({ dir: config.dataDir, scrub: deps.scrub, logger: deps.logger }),
    logger: deps.logger,
    timeoutMs: config.llm.timeoutMs,
    metrics: deps.metrics,
    scrub: deps.scrub,
  });
}

/** The raw provider named by LLM_PROVIDER. */
export function createProviderFromConfig(config: Config, fetchImpl?: typeof fetch): ChatProvider {
  if (config.llm.provider === 'huggingface') {
    // loadConfig already refuses LLM_PROVIDER=huggingface without HF_TOKEN.
    return createHuggingFaceProvider({
      token: config.llm.hfToken ?? '',
      model: config.llm.hfModel,
      endpointUrl: config.llm.hfEndpointUrl,
      fetch: fetchImpl,
    });
  }
  if (config.llm.provider === 'openai') {
    // loadConfig already refuses LLM_PROVIDER=openai without OPENAI_MODEL.
    return createOpenAiProvider({
      baseUrl: config.llm.openaiBaseUrl,
      model: config.llm.openaiModel ?? '',
      apiKey: config.llm.openaiApiKey,
      fetch: fetchImpl,
    });
  }
  return createOllamaProvider({
    host: config.llm.ollamaHost,
    model: config.llm.ollamaModel,
    authorization: config.endpointAuth.ollama,
    fetch: fetchImpl,
  });
}
