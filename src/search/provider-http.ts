// Shared plumbing for the HTTP search providers: one place turns wire failures into SearchProviderError kinds.
import { SearchProviderError, type SearchFailureKind } from '../errors.js';
import type { SearchProviderName, SearchResult } from './types.js';
import { isHttpUrl } from '../domain/url.js';

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', copy: '©', reg: '®', trade: '™', middot: '·', bull: '•',
};

/** Plain text from a provider's HTML-ish title or snippet: tags stripped, entities decoded, whitespace collapsed. */
export function cleanText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return decodeEntities(value.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const point = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(point) && point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : whole;
    }
    return NAMED_ENTITIES[code.toLowerCase()] ?? whole;
  });
}

/** Normalises raw hits into SearchResults, dropping any without an http(s) URL. */
export function toResults(
  provider: SearchProviderName,
  hits: readonly { title?: unknown; url?: unknown; snippet?: unknown }[],
  maxResults: number,
): SearchResult[] {
  const results: SearchResult[] = [];
  for (const hit of hits) {
    if (!isHttpUrl(hit.url)) continue;
    const url = hit.url.trim();
    results.push({ title: cleanText(hit.title) || url, url, snippet: cleanText(hit.snippet), provider });
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
  credentialHint?: string;
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
    const failure: HttpFailure = { status: response.status, body, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
    throw options.interpret?.(failure) ?? statusError(provider, failure, options.credentialHint);
  }
  if (body === undefined) throw new SearchProviderError(provider, 'bad_response', `answered HTTP ${response.status} with a body that is not JSON`);
  return body;
}

/** The generic HTTP status -> kind mapping. */
export function statusError(provider: SearchProviderName, failure: HttpFailure, credentialHint?: string): SearchProviderError {
  const { status, retryAfterMs } = failure;
  const check = credentialHint ? `: check ${credentialHint}` : '';
  if (status === 401 || status === 403) return new SearchProviderError(provider, 'auth', `rejected the credentials (HTTP ${status})${check}`);
  if (status === 429) return new SearchProviderError(provider, 'rate_limited', `rate limited${retryText(retryAfterMs)}`, retryAfterMs);
  if (status >= 500) return new SearchProviderError(provider, 'server_error', `server error (HTTP ${status})`, retryAfterMs);
  return new SearchProviderError(provider, 'bad_response', `unexpected answer (HTTP ${status})`);
}

/** Maps a thrown fetch/needle/axios error: an abort is a timeout unless the caller says otherwise. */
export function transportError(provider: SearchProviderName, error: unknown, signal?: AbortSignal): SearchProviderError {
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
  return cause instanceof Error ? `${error.message} ${cause.message} ${(cause as { code?: string }).code ?? ''}` : error.message;
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
