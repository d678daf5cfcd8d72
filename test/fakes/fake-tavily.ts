// Tavily's API as @tavily/core calls it: POST /search with a JSON body, Bearer key or keyless headers.
import type { FakeReply, RecordedRequest } from './loopback-server.js';
import { startSearchFake, type FakeSearchOptions, type SearchFake } from './search-corpus.js';

export type TavilyFailure = 'rate_limited' | 'unauthorized' | 'server_error' | 'keyless_limit' | 'slow' | 'bad_json';

export interface FakeTavilyOptions extends FakeSearchOptions {
  /** When set, keyed requests must carry `Authorization: Bearer <apiKey>` (keyless ones are always accepted). */
  apiKey?: string;
}

/** Starts the fake; point `apiBaseURL` (TAVILY_API_URL) at `fake.url`. */
export function startFakeTavily(options: FakeTavilyOptions = {}): Promise<SearchFake<TavilyFailure>> {
  return startSearchFake<TavilyFailure>(options, (request, context) => {
    if (request.method !== 'POST' || request.path !== '/search') return context.reject(request);
    const body = request.body as { query?: unknown; max_results?: unknown } | undefined;
    if (typeof body?.query !== 'string')
      return context.reject(request, { status: 400, body: { detail: { error: 'query is required' } } });
    if (!authorised(request, options.apiKey))
      return { status: 401, body: { detail: { error: 'Unauthorized: missing or invalid API key.' } } };
    context.queries.push(body.query);
    const failure = context.takeFailure();
    if (failure) return failureReply(failure.kind, failure.retryAfterSeconds ?? 60, failure.delayMs ?? 5_000);
    const max = typeof body.max_results === 'number' ? body.max_results : 5;
    const results = context
      .results(body.query)
      .slice(0, max)
      .map((hit, index) => ({
        title: hit.title,
        url: hit.url,
        content: hit.snippet,
        score: Number((0.9 - index * 0.05).toFixed(2)),
        raw_content: null,
      }));
    return {
      body: {
        query: body.query,
        follow_up_questions: null,
        answer: null,
        images: [],
        results,
        response_time: 0.42,
        request_id: 'fake-request',
      },
    };
  });
}

function authorised(request: RecordedRequest, apiKey: string | undefined): boolean {
  const header = request.headers.authorization;
  if (header === undefined) return request.headers['x-tavily-access-mode'] === 'keyless';
  return apiKey === undefined || header === `Bearer ${apiKey}`;
}

function failureReply(kind: TavilyFailure, retryAfterSeconds: number, delayMs: number): FakeReply {
  switch (kind) {
    case 'rate_limited':
      return {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        body: {
          detail: {
            error: 'Your request has been blocked due to excessive requests. Please reduce the rate of requests.',
          },
        },
      };
    case 'unauthorized':
      return { status: 401, body: { detail: { error: 'Unauthorized: missing or invalid API key.' } } };
    case 'server_error':
      return { status: 500, body: { detail: { error: 'Internal Server Error' } } };
    case 'keyless_limit':
      return {
        status: 429,
        body: {
          error: {
            code: 'hourly_cap',
            message: 'Keyless hourly limit reached.',
            retry_after_seconds: retryAfterSeconds,
            next_actions: [],
          },
        },
      };
    case 'slow':
      return { delayMs, body: { query: '', images: [], results: [], response_time: delayMs / 1000 } };
    case 'bad_json':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"results": [' };
  }
}
