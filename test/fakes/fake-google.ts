// Google's Custom Search JSON API: GET <api>?key=&cx=&q=&num= answering items[] or {error:{code,message,errors,status}}.
import type { FakeReply, RecordedRequest } from './loopback-server.js';
import { startSearchFake, type FakeSearchOptions, type SearchFake } from './search-corpus.js';

export type GoogleFailure =
  'rate_limited' | 'daily_limit' | 'invalid_key' | 'echo_key' | 'server_error' | 'slow' | 'bad_json';

export interface FakeGoogleOptions extends FakeSearchOptions {
  /** The key and engine id requests must carry; any non-empty value when unset. */
  key?: string;
  cx?: string;
}

export const GOOGLE_CSE_PATH = '/customsearch/v1';

/** Starts the fake; set GOOGLE_CSE_API_URL (apiUrl) to `fake.apiUrl`. */
export async function startFakeGoogle(
  options: FakeGoogleOptions = {},
): Promise<SearchFake<GoogleFailure> & { apiUrl: string }> {
  const fake = await startSearchFake<GoogleFailure>(options, (request, context) => {
    if (request.method !== 'GET' || request.path !== GOOGLE_CSE_PATH) return context.reject(request);
    const key = request.query.get('key');
    const cx = request.query.get('cx');
    const query = request.query.get('q');
    if (!key || (options.key !== undefined && key !== options.key))
      return googleError(400, 'API key not valid. Please pass a valid API key.', 'INVALID_ARGUMENT', 'badRequest');
    if (!cx || (options.cx !== undefined && cx !== options.cx) || !query)
      return context.reject(
        request,
        googleError(400, 'Request contains an invalid argument.', 'INVALID_ARGUMENT', 'badRequest'),
      );
    const num = Number(request.query.get('num') ?? '10');
    if (!Number.isInteger(num) || num < 1 || num > 10)
      return context.reject(
        request,
        googleError(400, 'Request contains an invalid argument.', 'INVALID_ARGUMENT', 'invalid'),
      );
    context.queries.push(query);
    const failure = context.takeFailure();
    if (failure) return failureReply(failure.kind, request, failure.retryAfterSeconds ?? 60, failure.delayMs ?? 5_000);
    const items = context
      .results(query)
      .slice(0, num)
      .map((hit) => ({
        kind: 'customsearch#result',
        title: hit.title,
        htmlTitle: hit.title,
        link: hit.url,
        displayLink: safeHost(hit.url),
        snippet: hit.snippet,
        htmlSnippet: hit.snippet,
      }));
    const searchInformation = { totalResults: String(items.length), searchTime: 0.2 };
    // Like Google, an empty answer has no `items` at all.
    return { body: { kind: 'customsearch#search', searchInformation, ...(items.length > 0 ? { items } : {}) } };
  });
  return Object.assign(fake, { apiUrl: `${fake.url}${GOOGLE_CSE_PATH}` });
}

function googleError(
  code: number,
  message: string,
  status: string,
  reason: string,
  headers?: Record<string, string>,
): FakeReply {
  return {
    status: code,
    headers,
    body: { error: { code, message, errors: [{ message, domain: 'global', reason }], status } },
  };
}

function failureReply(
  kind: GoogleFailure,
  request: RecordedRequest,
  retryAfterSeconds: number,
  delayMs: number,
): FakeReply {
  switch (kind) {
    case 'rate_limited':
      return googleError(
        429,
        "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute'.",
        'RESOURCE_EXHAUSTED',
        'rateLimitExceeded',
        { 'retry-after': String(retryAfterSeconds) },
      );
    case 'daily_limit':
      return googleError(
        403,
        'This project has exceeded its daily query limit.',
        'PERMISSION_DENIED',
        'dailyLimitExceeded',
      );
    case 'invalid_key':
      return googleError(400, 'API key not valid. Please pass a valid API key.', 'INVALID_ARGUMENT', 'keyInvalid');
    case 'echo_key':
      return googleError(
        400,
        `Invalid request URL http://www.googleapis.com${request.url}`,
        'INVALID_ARGUMENT',
        'badRequest',
      );
    case 'server_error':
      return googleError(503, 'The service is currently unavailable.', 'UNAVAILABLE', 'backendError');
    case 'slow':
      return { delayMs, body: { kind: 'customsearch#search' } };
    case 'bad_json':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"items": [' };
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
