// How a provider call failed, in terms the client can act on: retry, give up, or tell the user what to fix.
import { oneLine } from '../domain/text.js';

export type ProviderFailureKind =
  | 'timeout'
  | 'aborted'
  | 'refused'
  | 'dns'
  | 'network'
  | 'server'
  | 'rate_limited'
  | 'model_not_found'
  /** Something answered at the address, but not the kind of server configured (a web server, another API). */
  | 'wrong_server'
  | 'auth'
  | 'bad_request';

const RETRYABLE: ReadonlySet<ProviderFailureKind> = new Set(['refused', 'dns', 'network', 'server', 'rate_limited']);

/** A provider call that failed before producing an answer; providers translate their library's errors into this. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  /** How long the server asked to wait before the next try (a 429's Retry-After), when it said. */
  readonly retryAfterMs?: number;
  constructor(
    readonly kind: ProviderFailureKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** Maps an HTTP status to a failure kind; shared by every provider. */
export function kindForStatus(status: number): ProviderFailureKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'model_not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/** Classifies what `fetch` throws (undici puts the socket error code in `cause`). */
export function classifyFetchError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isAbort(error)) return new ProviderError('aborted', 'the request was aborted', undefined, { cause: error });
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') return new ProviderError('refused', 'connection refused', undefined, { cause: error });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ProviderError('dns', 'host name not found', undefined, { cause: error });
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT')
    return new ProviderError('timeout', 'connection timed out', undefined, { cause: error });
  if (code !== undefined || /fetch failed|socket|network|terminated/i.test(message)) {
    return new ProviderError('network', `network error (${code ?? message})`, undefined, { cause: error });
  }
  return new ProviderError('bad_request', oneLine(message), undefined, { cause: error });
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/** A Retry-After header (seconds or an HTTP date) or OpenAI's retry-after-ms, in milliseconds; undefined when absent or odd. */
export function retryAfterMsOf(headers: { get(name: string): string | null } | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
