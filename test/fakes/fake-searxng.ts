// A SearXNG instance: GET /search?q=&format=json answering results[] (or 403 when the JSON format is disabled).
import type { FakeReply } from './loopback-server.js';
import { startSearchFake, type FakeSearchOptions, type SearchFake } from './search-corpus.js';

export type SearxngFailure = 'json_disabled' | 'rate_limited' | 'server_error' | 'slow' | 'bad_json';

export interface FakeSearxngOptions extends FakeSearchOptions {
  /** Behave like an instance whose settings.yml lacks `json` under search.formats (every request gets 403). */
  jsonDisabled?: boolean;
}

/** Starts the fake; set SEARXNG_URL to `fake.url`. */
export function startFakeSearxng(options: FakeSearxngOptions = {}): Promise<SearchFake<SearxngFailure>> {
  return startSearchFake<SearxngFailure>(options, (request, context) => {
    if (request.method !== 'GET' || request.path !== '/search') return context.reject(request);
    const query = request.query.get('q');
    if (!query) return context.reject(request, { status: 400, body: 'Bad Request' });
    context.queries.push(query);
    if (options.jsonDisabled) return failureReply('json_disabled', 0, 0);
    const failure = context.takeFailure();
    if (failure) return failureReply(failure.kind, failure.retryAfterSeconds ?? 30, failure.delayMs ?? 5_000);
    if (request.query.get('format') !== 'json')
      return { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>results</body></html>' };
    const results = context.results(query).map((hit, index) => ({
      title: hit.title,
      url: hit.url,
      content: hit.snippet,
      engine: 'duckduckgo',
      engines: ['duckduckgo', 'brave'],
      score: 1 / (index + 1),
      category: 'general',
    }));
    return {
      body: {
        query,
        number_of_results: results.length,
        results,
        answers: [],
        corrections: [],
        infoboxes: [],
        suggestions: [],
        unresponsive_engines: [],
      },
    };
  });
}

function failureReply(kind: SearxngFailure, retryAfterSeconds: number, delayMs: number): FakeReply {
  switch (kind) {
    case 'json_disabled':
      return {
        status: 403,
        headers: { 'content-type': 'text/html' },
        body: '<!DOCTYPE html><title>403 Forbidden</title><h1>Forbidden</h1>',
      };
    case 'rate_limited':
      return {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds), 'content-type': 'text/html' },
        body: 'Too Many Requests',
      };
    case 'server_error':
      return { status: 500, headers: { 'content-type': 'text/html' }, body: 'Internal Server Error' };
    case 'slow':
      return { delayMs, body: { results: [] } };
    case 'bad_json':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"results": [' };
  }
}
