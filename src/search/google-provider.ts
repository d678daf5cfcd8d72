// Google Programmable Search (Custom Search JSON API). The key travels in the URL, so no message carries the URL.
import { searchAuthHint } from '../config.js';
import { SearchProviderError } from '../errors.js';
import { requestJson, retryText, toResults, type HttpFailure } from './provider-http.js';
import type { SearchProvider } from './types.js';
import { oneLine } from '../domain/text.js';

export interface GoogleCseOptions {
  key: string;
  cx: string;
  /** Endpoint, e.g. https://www.googleapis.com/customsearch/v1 (config GOOGLE_CSE_API_URL). */
  apiUrl: string;
  /** Authorization header for a proxy in front of the API (GOOGLE_CSE_API_URL's user:password, or GOOGLE_CSE_BEARER_TOKEN). */
  authorization?: string;
}

const RATE_REASONS = /rateLimitExceeded|userRateLimitExceeded|dailyLimitExceeded|quotaExceeded|RESOURCE_EXHAUSTED/;
const KEY_REASONS = /keyInvalid|API_KEY_INVALID|API key not valid|keyExpired/i;

/** A SearchProvider over the Custom Search JSON API (at most 10 results per call). */
export function createGoogleCseProvider(options: GoogleCseOptions): SearchProvider {
  const scrub = (text: string) => (options.key.length > 0 ? text.split(options.key).join('[REDACTED]') : text);
  return {
    name: 'google',
    limits: { concurrency: 5, intervalCap: 10, intervalMs: 1000 },
    async search(query, { maxResults, signal }) {
      const url = new URL(options.apiUrl);
      url.searchParams.set('key', options.key);
      url.searchParams.set('cx', options.cx);
      url.searchParams.set('q', query);
      url.searchParams.set('num', String(Math.min(Math.max(maxResults, 1), 10)));
      let body: unknown;
      try {
        body = await requestJson({
          provider: 'google',
          url: url.toString(),
          init: {
            headers: {
              Accept: 'application/json',
              ...(options.authorization ? { Authorization: options.authorization } : {}),
            },
          },
          signal,
          interpret: (failure) => interpretGoogleError(failure, scrub),
        });
      } catch (error) {
        // The cause may carry the request URL (and so the key); keep only our scrubbed message.
        if (error instanceof SearchProviderError) {
          throw new SearchProviderError('google', error.kind, scrub(error.message), error.retryAfterMs);
        }
        throw error;
      }
      const items = (body as { items?: unknown }).items;
      if (items !== undefined && !Array.isArray(items))
        throw new SearchProviderError('google', 'bad_response', 'answered with items that are not a list');
      const hits = (items ?? []) as { title?: unknown; link?: unknown; snippet?: unknown }[];
      return toResults(
        'google',
        hits.map((hit) => ({ title: hit.title, url: hit.link, snippet: hit.snippet })),
        maxResults,
      );
    },
  };
}

function interpretGoogleError(failure: HttpFailure, scrub: (text: string) => string): SearchProviderError | undefined {
  const error = (
    failure.body as { error?: { code?: unknown; message?: unknown; status?: unknown; errors?: unknown } } | undefined
  )?.error;
  if (!error || typeof error !== 'object') return undefined;
  const message = typeof error.message === 'string' ? oneLine(scrub(error.message), 200) : '';
  const reasons = JSON.stringify([
    error.status,
    error.errors,
    (failure.body as { error?: { details?: unknown } }).error?.details,
  ]);
  const said = message ? `: ${message}` : '';
  if (failure.status === 429 || RATE_REASONS.test(reasons)) {
    return new SearchProviderError(
      'google',
      'rate_limited',
      `quota or rate limit reached${retryText(failure.retryAfterMs)}${said}`,
      failure.retryAfterMs,
    );
  }
  if (KEY_REASONS.test(reasons) || KEY_REASONS.test(message) || failure.status === 401 || failure.status === 403) {
    return new SearchProviderError(
      'google',
      'auth',
      `rejected the credentials (HTTP ${failure.status})${said}; check ${searchAuthHint('google')}`,
    );
  }
  if (failure.status >= 500)
    return new SearchProviderError('google', 'server_error', `server error (HTTP ${failure.status})${said}`);
  return new SearchProviderError('google', 'bad_response', `refused the request (HTTP ${failure.status})${said}`);
}
