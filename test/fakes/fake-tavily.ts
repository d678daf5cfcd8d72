// Tavily's API as @tavily/core calls it: POST /search and POST /extract with a JSON body, Bearer key or keyless
// headers, answering in Tavily's own shapes (extract: results with raw_content, failed_results).
import type { FakeReply, RecordedRequest } from './loopback-server.js';
import { startSearchFake, type FakeSearchOptions, type SearchFake } from './search-corpus.js';

const SEARCH_FAILURES = ['rate_limited', 'unauthorized', 'server_error', 'keyless_limit', 'slow', 'bad_json'] as const;
/** Failures of /extract only: the same kinds as search (with an `extract_` prefix), plus what extract alone does:
 * every URL in `failed_results`, and results whose `raw_content` is empty. */
const EXTRACT_FAILURES = [
  'extract_rate_limited',
  'extract_unauthorized',
  'extract_server_error',
  'extract_keyless_limit',
  'extract_slow',
  'extract_bad_json',
  'extract_failed',
  'extract_empty',
] as const;
export type TavilyFailure = (typeof SEARCH_FAILURES)[number] | (typeof EXTRACT_FAILURES)[number];

export interface FakeTavilyOptions extends FakeSearchOptions {
  /** When set, keyed requests must carry `Authorization: Bearer <apiKey>` (keyless ones are always accepted). */
  apiKey?: string;
  /** A page's content for /extract (HTML or text, served as raw_content); undefined puts the URL in failed_results. */
  pages?: (url: string) => string | undefined;
  /** Added to every /extract answer. */
  extractLatencyMs?: number;
}

/** The fake, with the URLs each /extract request asked for. */
export type TavilyFake = SearchFake<TavilyFailure> & { extracts: string[][] };

/** Starts the fake; point `apiBaseURL` (TAVILY_API_URL) at `fake.url`. */
export async function startFakeTavily(options: FakeTavilyOptions = {}): Promise<TavilyFake> {
  const extracts: string[][] = [];
  const fake = await startSearchFake<TavilyFailure>(options, async (request, context) => {
    if (request.method === 'POST' && request.path === '/extract') {
      if (!authorised(request, options.apiKey))
        return { status: 401, body: { detail: { error: 'Unauthorized: missing or invalid API key.' } } };
      const urls = (request.body as { urls?: unknown } | undefined)?.urls;
      if (!Array.isArray(urls) || urls.some((url) => typeof url !== 'string'))
        return context.reject(request, { status: 400, body: { detail: { error: 'urls is required' } } });
      extracts.push(urls as string[]);
      if (options.extractLatencyMs) await new Promise((resolve) => setTimeout(resolve, options.extractLatencyMs));
      const failure = context.takeFailure(EXTRACT_FAILURES);
      return extractReply(urls as string[], options.pages ?? (() => undefined), failure);
    }
    if (request.method !== 'POST' || request.path !== '/search') return context.reject(request);
    const body = request.body as { query?: unknown; max_results?: unknown } | undefined;
    if (typeof body?.query !== 'string')
      return context.reject(request, { status: 400, body: { detail: { error: 'query is required' } } });
    if (!authorised(request, options.apiKey))
      return { status: 401, body: { detail: { error: 'Unauthorized: missing or invalid API key.' } } };
    context.queries.push(body.query);
    const failure = context.takeFailure(SEARCH_FAILURES);
    if (failure)
      return failureReply(
        failure.kind as (typeof SEARCH_FAILURES)[number],
        failure.retryAfterSeconds ?? 60,
        failure.delayMs ?? 5_000,
      );
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
  return Object.assign(fake, { extracts });
}

function extractReply(
  urls: string[],
  pages: (url: string) => string | undefined,
  failure: { kind: TavilyFailure; retryAfterSeconds?: number; delayMs?: number } | undefined,
): FakeReply {
  if (failure && failure.kind !== 'extract_failed' && failure.kind !== 'extract_empty') {
    const kind = failure.kind.replace(/^extract_/, '') as (typeof SEARCH_FAILURES)[number];
    return failureReply(kind, failure.retryAfterSeconds ?? 60, failure.delayMs ?? 5_000);
  }
  const results: object[] = [];
  const failed: object[] = [];
  urls.forEach((url, index) => {
    const content = failure?.kind === 'extract_failed' ? undefined : pages(url);
    if (content === undefined) failed.push({ url, error: 'Failed to fetch url' });
    // Tavily echoes a URL without its trailing slash now and then, and names a title only sometimes.
    else
      results.push({
        url: index % 2 === 1 ? url.replace(/\/$/, '') : url,
        ...(index % 3 === 0 ? { title: null } : {}),
        raw_content: failure?.kind === 'extract_empty' ? '' : content,
        images: [],
      });
  });
  return {
    body: { results, failed_results: failed, response_time: 0.61, request_id: 'fake-extract' },
  };
}

function authorised(request: RecordedRequest, apiKey: string | undefined): boolean {
  const header = request.headers.authorization;
  if (header === undefined) return request.headers['x-tavily-access-mode'] === 'keyless';
  return apiKey === undefined || header === `Bearer ${apiKey}`;
}

function failureReply(kind: (typeof SEARCH_FAILURES)[number], retryAfterSeconds: number, delayMs: number): FakeReply {
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
      return {
        delayMs,
        body: { query: '', images: [], results: [], failed_results: [], response_time: delayMs / 1000 },
      };
    case 'bad_json':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"results": [' };
  }
}
