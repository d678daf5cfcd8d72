import type { SearchProviderName } from '../config.js';
import type { UsageMeter } from '../domain/usage.js';
import type { Logger } from '../logger.js';

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

/** How hard a provider may be called; the client turns this into a p-queue. */
export interface ProviderLimits {
  /** Calls in flight at once. */
  concurrency: number;
  /** At most this many calls start per `intervalMs` (omit for no rate cap). */
  intervalCap?: number;
  intervalMs?: number;
}

/** One search backend. Throws SearchProviderError with a `kind` on failure; an empty array means "no results". */
export interface SearchProvider {
  readonly name: SearchProviderName;
  /** Limits this provider suggests (e.g. Tavily keyless is stricter than keyed); the client's options win. */
  readonly limits?: ProviderLimits;
  /** True when the provider runs without a key of its own (Tavily keyless), so the hint still suggests one. */
  readonly keyless?: boolean;
  search(query: string, options: ProviderSearchOptions): Promise<SearchResult[]>;
}

export interface SearchRequest {
  scope: string;
  maxResults?: number;
  fresh?: boolean;
  meter?: UsageMeter;
  signal?: AbortSignal;
  /** The run's logger (its id and stage bound), for the lines this search writes. */
  logger?: Pick<Logger, 'warn'>;
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
