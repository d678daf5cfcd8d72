// Serper (serper.dev): Google results over a simple keyed JSON API.
import { SearchProviderError } from '../errors.js';
import { requestJson, toResults, type HttpFailure } from './provider-http.js';
import type { SearchProvider } from './types.js';

export interface SerperOptions {
  apiKey: string;
  /** Base URL, e.g. https://google.serper.dev (config SERPER_API_URL). */
  apiUrl: string;
  /** Authorization header for a proxy in front of Serper (SERPER_API_URL's user:password, or SERPER_BEARER_TOKEN). */
  authorization?: string;
}

/** A SearchProvider over Serper's POST /search. */
export function createSerperProvider(options: SerperOptions): SearchProvider {
  const endpoint = `${options.apiUrl.replace(/\/+$/, '')}/search`;
  return {
    name: 'serper',
    limits: { concurrency: 5 },
    async search(query, { maxResults, signal }) {
      const body = await requestJson({
        provider: 'serper',
        url: endpoint,
        init: {
          method: 'POST',
          headers: {
            'X-API-KEY': options.apiKey,
            'Content-Type': 'application/json',
            Accept: 'application/json',
            ...(options.authorization ? { Authorization: options.authorization } : {}),
          },
          body: JSON.stringify({ q: query, num: Math.min(Math.max(maxResults, 1), 100) }),
        },
        signal,
        interpret: interpretSerperError,
      });
      const organic = (body as { organic?: unknown }).organic;
      if (organic !== undefined && !Array.isArray(organic)) {
        throw new SearchProviderError('serper', 'bad_response', 'answered without an organic[] list');
      }
      const hits = (organic ?? []) as { title?: unknown; link?: unknown; snippet?: unknown }[];
      return toResults(
        'serper',
        hits.map((hit) => ({ title: hit.title, url: hit.link, snippet: hit.snippet })),
        maxResults,
      );
    },
  };
}

function interpretSerperError(failure: HttpFailure): SearchProviderError | undefined {
  const message = (failure.body as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && /credit/i.test(message)) {
    return new SearchProviderError(
      'serper',
      'rate_limited',
      'out of credits: top up at serper.dev or set another provider',
      failure.retryAfterMs,
    );
  }
  return undefined;
}
