// Tavily through @tavily/core: keyless (shared, capped) when no key is set, so search works on a fresh machine.
import { tavily, TavilyKeylessLimitError } from '@tavily/core';
import { searchCredentialHint } from '../config.js';
import { SearchProviderError } from '../errors.js';
import { retryText, toResults, transportError } from './provider-http.js';
import type { SearchProvider } from './types.js';
import { oneLine } from '../domain/text.js';

export interface TavilyOptions {
  /** Unset means keyless mode. */
  apiKey?: string;
  /** Base URL (config TAVILY_API_URL); the library appends /search. */
  apiBaseURL?: string;
  /** The library's own request timeout; the client's AbortSignal still wins. */
  timeoutMs?: number;
}

/** A SearchProvider over @tavily/core's search(), mapping its plain-Error failures to kinds. */
export function createTavilyProvider(options: TavilyOptions): SearchProvider {
  const keyless = !options.apiKey;
  const client = tavily({ apiKey: options.apiKey, apiBaseURL: options.apiBaseURL?.replace(/\/+$/, '') });
  const timeoutSeconds = Math.max(1, Math.ceil((options.timeoutMs ?? 30_000) / 1000));
  return {
    name: 'tavily',
    keyless,
    limits: keyless ? { concurrency: 2, intervalCap: 2, intervalMs: 1000 } : { concurrency: 5 },
    async search(query, { maxResults, signal }) {
      const call = client.search(query, {
        maxResults: Math.min(Math.max(maxResults, 1), 20),
        searchDepth: 'basic',
        timeout: timeoutSeconds,
      });
      let response: Awaited<typeof call>;
      try {
        response = await raceAbort(call, signal);
      } catch (error) {
        throw tavilyError(error, keyless, signal);
      }
      if (!Array.isArray(response.results))
        throw new SearchProviderError('tavily', 'bad_response', 'answered without a results list');
      return toResults(
        'tavily',
        response.results.map((hit) => ({ title: hit.title, url: hit.url, snippet: hit.content })),
        maxResults,
      );
    },
  };
}

/** The library takes no AbortSignal: stop waiting for it when ours fires (its own timeout ends the request). */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const KEY = searchCredentialHint('tavily');

/** Tavily's plain-Error failures as kinds; shared by search and the page reader, which speak to the same API. */
export function tavilyError(error: unknown, keyless: boolean, signal: AbortSignal): SearchProviderError {
  if (error instanceof TavilyKeylessLimitError) {
    const retryAfterMs = typeof error.retryAfter === 'number' ? error.retryAfter * 1000 : undefined;
    return new SearchProviderError(
      'tavily',
      'rate_limited',
      `keyless limit reached (${error.capType})${retryText(retryAfterMs)}; set ${KEY} for your own quota`,
      retryAfterMs,
      { cause: error },
    );
  }
  if (signal.aborted) return transportError('tavily', error, signal);
  const text = error instanceof Error ? error.message : String(error);
  const status = /^(\d{3}) Error:/.exec(text)?.[1] ?? /status code (\d{3})/.exec(text)?.[1];
  const make = (kind: SearchProviderError['kind'], message: string) =>
    new SearchProviderError('tavily', kind, message, undefined, { cause: error });
  if (/^Request timed out/i.test(text)) return make('timeout', 'did not answer in time');
  if (status === '401' || status === '403' || /unauthori[sz]ed|invalid api key|missing api key|forbidden/i.test(text)) {
    if (keyless) return make('auth', `refused keyless access${status ? ` (HTTP ${status})` : ''}; set ${KEY}`);
    return make('auth', `rejected the credentials${status ? ` (HTTP ${status})` : ''}: check ${KEY}`);
  }
  if (
    status === '429' ||
    status === '432' ||
    status === '433' ||
    /excessive requests|rate limit|usage limit|too many requests|exceeds your plan/i.test(text)
  ) {
    return make('rate_limited', `rate limited${status ? ` (HTTP ${status})` : ''}`);
  }
  if ((status && status.startsWith('5')) || /internal server error|service unavailable|bad gateway/i.test(text)) {
    return make('server_error', `server error${status ? ` (HTTP ${status})` : ''}`);
  }
  if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|EAI_AGAIN|socket hang up|Network Error/i.test(text))
    return transportError('tavily', error);
  if (/timeout/i.test(text)) return make('timeout', 'did not answer in time');
  return make('bad_response', `unexpected answer: ${oneLine(text)}`);
}
