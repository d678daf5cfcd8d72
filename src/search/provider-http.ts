// Shared plumbing for the HTTP search providers: one place turns wire failures into SearchProviderError kinds.
import { searchAuthHint } from '../config.js';
import { SearchProviderError, type SearchFailureKind } from '../errors.js';
import type { SearchProviderName, SearchResult } from './types.js';
import { isHttpUrl } from '../domain/url.js';
import { plainWebText } from '../domain/text.js';

/** Longest title and snippet kept from a result (after cleaning); prompts quote less. */
export const RESULT_TITLE_MAX = 300;
export const RESULT_SNIPPET_MAX = 2_000;
const URL_MAX = 2_048;

/** Normalises raw hits into SearchResults (plain text, clipped before any processing), dropping any without an http(s) URL. */
export function toResults(
  provider: SearchProviderName,
  hits: readonly { title?: unknown; url?: unknown; snippet?: unknown }[],
  maxResults: number,
): SearchResult[] {
  const results: SearchResult[] = [];
  for (const hit of hits) {
    if (typeof hit.url !== 'string' || hit.url.length > URL_MAX || !isHttpUrl(hit.url)) continue;
    const url = hit.url.trim();
    results.push({
      title: plainWebText(hit.title, RESULT_TITLE_MAX) || url,
      url,
      snippet: plainWebText(hit.snippet, RESULT_SNIPPET_MAX),
      provider,
    });
    if (results.length >= maxResults) break;
  }
  return results;
}

/** Retry-After as milliseconds (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** "retry after 60 s" for messages users read. */
export function retryText(retryAfterMs: number | undefined): string {
  return retryAfterMs === undefined ? '' : ` (retry after ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s)`;
}

export interface HttpFailure {
  status: number;
  body: unknown;
  retryAfterMs?: number;
}

export interface RequestJsonOptions {
  provider: SearchProviderName;
  url: string;
  init?: RequestInit;
  signal: AbortSignal;
  /** Provider-specific reading of an error answer; return undefined for the generic mapping. */
  interpret?: (failure: HttpFailure) => SearchProviderError | undefined;
  /** Environment variable to check on 401/403, named in the message. */
}

/** Fetches JSON with the caller's AbortSignal and maps every failure to a SearchProviderError kind. Never puts the URL in a message. */
export async function requestJson(options: RequestJsonOptions): Promise<unknown> {
  const { provider } = options;
  let response: Response;
  try {
    response = await fetch(options.url, { ...options.init, signal: options.signal });
  } catch (error) {
    throw transportError(provider, error, options.signal);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw transportError(provider, error, options.signal);
  }
  const body = parseJson(text);
  if (!response.ok) {
    const failure: HttpFailure = {
      status: response.status,
      body,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    };
    throw options.interpret?.(failure) ?? statusError(provider, failure);
  }
  if (body === undefined)
    throw new SearchProviderError(
      provider,
      'bad_response',
      `answered HTTP ${response.status} with a body that is not JSON`,
    );
  return body;
}

/** The generic HTTP status -> kind mapping. */
export function statusError(provider: SearchProviderName, failure: HttpFailure): SearchProviderError {
  const { status, retryAfterMs } = failure;
  const hint = searchAuthHint(provider);
  const check = hint ? `: check ${hint}` : '';
  if (status === 401 || status === 403)
    return new SearchProviderError(provider, 'auth', `rejected the credentials (HTTP ${status})${check}`);
  if (status === 429)
    return new SearchProviderError(provider, 'rate_limited', `rate limited${retryText(retryAfterMs)}`, retryAfterMs);
  if (status >= 500)
    return new SearchProviderError(provider, 'server_error', `server error (HTTP ${status})`, retryAfterMs);
  return new SearchProviderError(provider, 'bad_response', `unexpected answer (HTTP ${status})`);
}

/** Maps a thrown fetch/needle/axios error: an abort is a timeout unless the caller says otherwise. */
export function transportError(
  provider: SearchProviderName,
  error: unknown,
  signal?: AbortSignal,
): SearchProviderError {
  if (error instanceof SearchProviderError) return error;
  const name = error instanceof Error ? error.name : '';
  const text = errorText(error);
  let kind: SearchFailureKind = 'network';
  let message = `could not connect (${shortCode(text)})`;
  if (signal?.aborted || name === 'AbortError' || name === 'TimeoutError' || /timed? ?out|timeout/i.test(text)) {
    kind = 'timeout';
    message = 'did not answer in time';
  }
  return new SearchProviderError(provider, kind, message, undefined, { cause: error });
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error
    ? `${error.message} ${cause.message} ${(cause as { code?: string }).code ?? ''}`
    : error.message;
}

function shortCode(text: string): string {
  return /\b(E[A-Z_]{3,}|socket hang up|other side closed)\b/.exec(text)?.[1] ?? 'network error';
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
