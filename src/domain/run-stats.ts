import type { UsageMeter } from './usage.js';
import type { RunStats } from './types.js';

/** Fresh counters for one run. */
export function emptyStats(): RunStats {
  return { llmCalls: 0, promptTokens: 0, outputTokens: 0, searches: 0, cacheHits: 0, durationMs: 0, warnings: [] };
}

/** A meter that adds every LLM call, search and cache hit of a run to its stats as they happen. */
export function meterInto(stats: RunStats, onLlmCall?: (latencyMs: number, agent: string) => void): UsageMeter {
  return {
    llmCall(usage) {
      stats.llmCalls += 1;
      stats.promptTokens += usage.promptTokens;
      stats.outputTokens += usage.outputTokens;
      onLlmCall?.(usage.latencyMs, usage.agent);
    },
    search() {
      stats.searches += 1;
    },
    cacheHit() {
      stats.cacheHits += 1;
    },
  };
}
