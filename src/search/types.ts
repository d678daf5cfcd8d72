import type { SearchProviderName } from '../config.js';
import type { UsageMeter } from '../llm/types.js';

export type { SearchProviderName };

/** A normalised web result, whatever provider found it. */
export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
  provider: SearchProviderName;
}

export interface ProviderSearchOptions {
  maxResults: number;
  signal: AbortSignal;
}

/** One search backend. Throws SearchProviderError with a `kind` on failure; an empty array means "no results". */
export interface SearchProvider {
  readonly name: SearchProviderName;
  search(query: string, options: ProviderSearchOptions): Promise<SearchResult[]>;
}

export interface SearchRequest {
  scope: string;
  maxResults?: number;
  fresh?: boolean;
  meter?: UsageMeter;
  signal?: AbortSignal;
}

export interface SearchOutcome {
  query: string;
  results: SearchResult[];
  /** Provider that answered, or "cache". */
  source: SearchProviderName | 'cache';
}

/** The fallback chain with caching, rate limits and timeouts. */
export interface SearchClient {
  readonly providers: readonly SearchProviderName[];
  search(query: string, request: SearchRequest): Promise<SearchOutcome>;
}
