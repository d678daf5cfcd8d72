// Pages read with Tavily's extract (@tavily/core), keyless or keyed, at TAVILY_API_URL: one request per batch of URLs.
import { tavily } from '@tavily/core';
import { oneLine } from '../domain/text.js';
import { raceAbort, tavilyError } from './tavily-provider.js';
import type { PageBackend, PageReadFailure, RawPage } from './page-types.js';

export interface TavilyReaderOptions {
  /** Unset means keyless mode (search and extract only, a shared quota). */
  apiKey?: string;
  apiBaseURL?: string;
  /** Tavily's own per-request timeout; the reader's signal still wins. */
  timeoutMs: number;
}

/** Tavily's extract takes at most 20 URLs per request. */
const URLS_PER_REQUEST = 20;

/** A page backend over Tavily's extract: per-URL failures (`failed_results`, empty content) become values. */
export function createTavilyReader(options: TavilyReaderOptions): PageBackend {
  const keyless = !options.apiKey;
  const client = tavily({ apiKey: options.apiKey, apiBaseURL: options.apiBaseURL?.replace(/\/+$/, '') });
  const timeout = Math.max(1, Math.ceil(options.timeoutMs / 1000));
  return {
    name: 'tavily',
    async read(urls, signal) {
      const pages: RawPage[] = [];
      const failures: PageReadFailure[] = [];
      for (let i = 0; i < urls.length; i += URLS_PER_REQUEST) {
        const batch = urls.slice(i, i + URLS_PER_REQUEST);
        let response: Awaited<ReturnType<typeof client.extract>>;
        try {
          response = await raceAbort(
            client.extract([...batch], { extractDepth: 'basic', format: 'text', timeout }),
            signal,
          );
        } catch (error) {
          // The library's errors are search's errors (same API): rate limits, keyless caps, auth, timeouts.
          throw tavilyError(error, keyless, signal);
        }
        const answered = new Set<string>();
        for (const result of Array.isArray(response.results) ? response.results : []) {
          const url = batch.find((asked) => sameUrl(asked, result?.url));
          if (!url || answered.has(url)) continue;
          answered.add(url);
          const text = typeof result.rawContent === 'string' ? result.rawContent : '';
          if (text.trim() === '') failures.push({ url, kind: 'empty', reason: 'Tavily returned no text for it' });
          else pages.push({ url, title: typeof result.title === 'string' ? result.title : '', text });
        }
        for (const failed of Array.isArray(response.failedResults) ? response.failedResults : []) {
          const url = batch.find((asked) => sameUrl(asked, failed?.url));
          if (!url || answered.has(url)) continue;
          answered.add(url);
          failures.push({ url, kind: 'failed', reason: `Tavily could not read it: ${oneLine(String(failed.error))}` });
        }
        for (const url of batch)
          if (!answered.has(url)) failures.push({ url, kind: 'failed', reason: 'Tavily did not answer for it' });
      }
      return { pages, failures };
    },
  };
}

/** Tavily answers with the URL it read, sometimes with or without a trailing slash. */
function sameUrl(asked: string, answered: unknown): boolean {
  if (typeof answered !== 'string') return false;
  return asked.replace(/\/+$/, '') === answered.replace(/\/+$/, '');
}
