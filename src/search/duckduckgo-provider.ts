// DuckDuckGo scraping (duck-duck-scrape): the keyless last resort, often answered with an anomaly block.
import { SafeSearchType, search as ddgSearch } from 'duck-duck-scrape';
import { SearchProviderError } from '../errors.js';
import { toResults, transportError } from './provider-http.js';
import type { SearchProvider } from './types.js';

export interface DuckDuckGoOptions {
  /** Plain-HTTP proxy for every request (config DUCKDUCKGO_PROXY). */
  proxy?: string;
  /** Needle's connect/response/read timeouts. */
  timeoutMs?: number;
}

const BROWSER_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-US,en;q=0.9',
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
};

/** A SearchProvider over duck-duck-scrape, telling "blocked" apart from "no results". */
export function createDuckDuckGoProvider(options: DuckDuckGoOptions = {}): SearchProvider {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    name: 'duckduckgo',
    limits: { concurrency: 1, intervalCap: 1, intervalMs: 1500 },
    async search(query, { maxResults, signal }) {
      const needleOptions = {
        headers: BROWSER_HEADERS,
        open_timeout: timeoutMs,
        response_timeout: timeoutMs,
        read_timeout: timeoutMs,
        signal,
        ...(options.proxy ? { proxy: options.proxy } : {}),
      };
      let answer: Awaited<ReturnType<typeof ddgSearch>>;
      try {
        answer = await ddgSearch(query, { safeSearch: SafeSearchType.MODERATE }, needleOptions);
      } catch (error) {
        throw duckDuckGoError(error, signal);
      }
      if (answer.noResults) return [];
      return toResults(
        'duckduckgo',
        answer.results.map((hit) => ({ title: hit.title, url: hit.url, snippet: hit.description })),
        maxResults,
      );
    },
  };
}

function duckDuckGoError(error: unknown, signal: AbortSignal): SearchProviderError {
  const text = error instanceof Error ? error.message : String(error);
  const make = (kind: SearchProviderError['kind'], message: string) =>
    new SearchProviderError('duckduckgo', kind, message, undefined, { cause: error });
  if (/anomaly/i.test(text))
    return make('blocked', "blocked by DuckDuckGo's anomaly check (too many automated requests from this address)");
  // duck-duck-scrape reports any failure of the first page this way, including a block or an unreachable proxy.
  if (/Failed to get the VQD/i.test(text))
    return make('blocked', 'DuckDuckGo gave no search token (VQD): blocked or unreachable');
  if (signal.aborted || /Aborted by signal|timeout/i.test(text)) return transportError('duckduckgo', error, signal);
  if (/A server error occurred/i.test(text)) return make('server_error', 'DuckDuckGo reported a server error');
  if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|EAI_AGAIN|socket hang up/i.test(text))
    return transportError('duckduckgo', error);
  return make('bad_response', 'DuckDuckGo answered with a page duck-duck-scrape could not read');
}
