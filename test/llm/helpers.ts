import Keyv from 'keyv';
import { z } from 'zod';
import { createFairLimiter } from '../../src/llm/fair-limiter.js';
import { createLlmClient, type LlmClientOptions } from '../../src/llm/llm-client.js';
import { createPromptLog, type PromptLog } from '../../src/llm/prompt-log.js';
import type { ChatProvider, TokenUsage, UsageMeter } from '../../src/llm/types.js';
import { WorkCache } from '../../src/store/cache.js';
import { tempDir as tempFolder } from '../support/temp-dir.js';
import { afterTest } from '../support/teardown.js';

export const companySchema = z.object({
  name: z.string().describe('Company name'),
  website: z
    .string()
    .regex(/^https?:\/\//)
    .nullable()
    .describe('Home page URL'),
  rooftops: z.number().int().min(0).describe('Number of dealerships'),
});

export const quietLogger = { warn: () => undefined, debug: () => undefined };

/** A folder for a prompt log, removed after the test. */
export function tempDir(): string {
  return tempFolder('leads-llm-');
}

/** A prompt log in a temporary folder; its queued lines are written before the folder is removed after the test. */
export function promptLogInTempDir(): PromptLog {
  const promptLog = createPromptLog({ dir: tempDir(), scrub: (text) => text });
  afterTest({ close: () => promptLog.flush() });
  return promptLog;
}

export function memoryCache(): WorkCache {
  return new WorkCache(new Keyv());
}

/** A meter that remembers what it was told. */
export function recordingMeter(): UsageMeter & {
  calls: (TokenUsage & { latencyMs: number; agent: string })[];
  hits: string[];
} {
  const calls: (TokenUsage & { latencyMs: number; agent: string })[] = [];
  const hits: string[] = [];
  return {
    calls,
    hits,
    llmCall: (usage) => calls.push(usage),
    search: () => undefined,
    cacheHit: (kind) => hits.push(kind),
  };
}

export function clientFor(
  provider: ChatProvider,
  overrides: Partial<LlmClientOptions> & { promptLog?: PromptLog } = {},
) {
  const promptLog = overrides.promptLog ?? promptLogInTempDir();
  return createLlmClient({
    provider,
    limiter: createFairLimiter(2),
    promptLog,
    logger: quietLogger,
    timeoutMs: 5_000,
    retryDelayMs: 20,
    ...overrides,
  });
}

export function requestFor(overrides: Record<string, unknown> = {}) {
  return {
    agent: 'enrichment',
    runId: 'run-1',
    scope: 'T1',
    system: 'You extract company facts as JSON.',
    prompt: 'AutoNation has 240 rooftops; see autonation.com.',
    schema: companySchema,
    schemaName: 'company',
    ...overrides,
  };
}
