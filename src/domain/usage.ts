// Token and call accounting shared by the LLM and search layers and the run's stats.

export interface TokenUsage {
  promptTokens: number;
  outputTokens: number;
}

/** Receives usage as it happens, so a run's stats are exact even when it fails half-way. */
export interface UsageMeter {
  llmCall(usage: TokenUsage & { latencyMs: number; agent: string }): void;
  search(provider: string): void;
  /** A page a page reader read for the run (not counted when it came from the cache). */
  pageRead?(reader: string): void;
  cacheHit(kind: 'search' | 'llm' | 'enrichment' | 'page'): void;
}
