// SearXNG: a self-hosted metasearch instance, free and unmetered once running.
import { SearchProviderError } from '../errors.js';
import { requestJson, toResults, type HttpFailure } from './provider-http.js';
import type { SearchProvider } from './types.js';

export interface SearxngOptions {
  /** Base URL of the instance (config SEARXNG_URL). */
  baseUrl: string;
  /** Authorization header for an instance behind a proxy (Basic from SEARXNG_URL's user:password, or SEARXNG_BEARER_TOKEN). */
  authorization?: string;
}

/** A SearchProvider over SearXNG's GET /search?format=json. */
export function createSearxngProvider(options: SearxngOptions): SearchProvider {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    name: 'searxng',
    limits: { concurrency: 5 },
    async search(query, { maxResults, signal }) {
      const params = new URLSearchParams({ q: query, format: 'json', pageno: '1' });
      const body = await requestJson({
        provider: 'searxng',
        url: `${base}/search?${params.toString()}`,
        init: {
          headers: {
            Accept: 'application/json',
            ...(options.authorization ? { Authorization: options.authorization } : {}),
          },
        },
        signal,
        interpret: (failure) => interpretSearxngError(failure, base),
      });
      const results = (body as { results?: unknown }).results;
      if (!Array.isArray(results))
        throw new SearchProviderError('searxng', 'bad_response', 'answered without a results[] list');
      const hits = results as { title?: unknown; url?: unknown; content?: unknown }[];
      return toResults(
        'searxng',
        hits.map((hit) => ({ title: hit.title, url: hit.url, snippet: hit.content })),
        maxResults,
      );
    },
  };
}

function interpretSearxngError(failure: HttpFailure, base: string): SearchProviderError | undefined {
  if (failure.status === 403) {
    return new SearchProviderError(
      'searxng',
      'not_configured',
      `the instance at ${base} refuses format=json (HTTP 403): enable \`json\` under search.formats in settings.yml`,
    );
  }
  return undefined;
}
