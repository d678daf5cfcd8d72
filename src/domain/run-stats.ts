import type { UsageMeter } from './usage.js';
import type { PipelineStageName, RunStats } from './types.js';

/** Fresh counters for one run. */
export function emptyStats(): RunStats {
  return {
    llmCalls: 0,
    promptTokens: 0,
    outputTokens: 0,
    searches: 0,
    pagesRead: 0,
    cacheHits: 0,
    durationMs: 0,
    stageMs: {},
    warnings: [],
  };
}

/** Adds a stage's wall time to the run's stats, in place like the meter, so every copy of the run sees it.
 * A stage that failed and ran again when the run was resumed counts both times, as the run's duration does. */
export function recordStageTime(stats: RunStats, stage: PipelineStageName, ms: number): void {
  stats.stageMs = { ...stats.stageMs, [stage]: (stats.stageMs?.[stage] ?? 0) + Math.round(ms) };
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
    pageRead() {
      stats.pagesRead = (stats.pagesRead ?? 0) + 1;
    },
    cacheHit() {
      stats.cacheHits += 1;
    },
  };
}
