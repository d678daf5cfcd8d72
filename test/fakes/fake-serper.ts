// Serper's API: POST /search with X-API-KEY and {q, num}, answering organic[].
import type { FakeReply } from './loopback-server.js';
import { startSearchFake, type FakeSearchOptions, type SearchFake } from './search-corpus.js';

export type SerperFailure = 'rate_limited' | 'unauthorized' | 'no_credits' | 'server_error' | 'slow' | 'bad_json';

export interface FakeSerperOptions extends FakeSearchOptions {
  /** The key requests must carry in X-API-KEY; any non-empty key when unset. */
  apiKey?: string;
}

/** Starts the fake; set SERPER_API_URL (apiUrl) to `fake.url`. */
export function startFakeSerper(options: FakeSerperOptions = {}): Promise<SearchFake<SerperFailure>> {
  return startSearchFake<SerperFailure>(options, (request, context) => {
    if (request.method !== 'POST' || request.path !== '/search') return context.reject(request);
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || key === '' || (options.apiKey !== undefined && key !== options.apiKey)) {
      return { status: 403, body: { message: 'Unauthorized.', statusCode: 403 } };
    }
    const body = request.body as { q?: unknown; num?: unknown } | undefined;
    if (typeof body?.q !== 'string')
      return context.reject(request, { status: 400, body: { message: 'Missing query parameter', statusCode: 400 } });
    context.queries.push(body.q);
    const failure = context.takeFailure();
    if (failure) return failureReply(failure.kind, failure.retryAfterSeconds ?? 30, failure.delayMs ?? 5_000);
    const num = typeof body.num === 'number' ? body.num : 10;
    const organic = context
      .results(body.q)
      .slice(0, num)
      .map((hit, index) => ({ title: hit.title, link: hit.url, snippet: hit.snippet, position: index + 1 }));
    return { body: { searchParameters: { q: body.q, num, type: 'search', engine: 'google' }, organic, credits: 1 } };
  });
}

function failureReply(kind: SerperFailure, retryAfterSeconds: number, delayMs: number): FakeReply {
  switch (kind) {
    case 'rate_limited':
      return {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        body: { message: 'Too many requests', statusCode: 429 },
      };
    case 'unauthorized':
      return { status: 403, body: { message: 'Unauthorized.', statusCode: 403 } };
    case 'no_credits':
      return { status: 400, body: { message: 'Not enough credits', statusCode: 400 } };
    case 'server_error':
      return { status: 502, body: '<html><body>Bad Gateway</body></html>' };
    case 'slow':
      return { delayMs, body: { organic: [] } };
    case 'bad_json':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"organic": [' };
  }
}
