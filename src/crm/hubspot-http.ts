import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';

/** Why a HubSpot call failed, in the words the thread shows. */
export type HubspotFailureKind =
  | 'auth'
  | 'missing_scopes'
  | 'rate_limited'
  | 'missing_property'
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'unavailable';

/** A HubSpot failure whose message is already plain words for the person who clicked. */
export class HubspotError extends Error {
  override readonly name = 'HubspotError';
  constructor(
    readonly kind: HubspotFailureKind,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown; outcomeUnknown?: boolean },
  ) {
    super(message, options);
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
  }

  /** The request may have been carried out and only its answer lost (a create that timed out, a 5xx, a dropped
   * connection): what it wrote must be looked up, not written again. */
  readonly outcomeUnknown: boolean;
}

/** How a request may be repeated. A read or an update can be sent again; a create may not be, once it reached
 * HubSpot, since only its answer may have been lost (see create-once.ts). */
export type HubspotWrite = 'repeatable' | 'create';

export interface HubspotHttpOptions {
  token: string;
  /** API base, e.g. https://api.hubapi.com (HUBSPOT_API_URL). */
  apiUrl: string;
  logger: Pick<Logger, 'warn' | 'debug'>;
  /** A 429 asking to wait longer than this is reported instead of waited out. */
  maxRetryWaitMs?: number;
  timeoutMs?: number;
  /** Extra tries after a 429 or a 5xx. */
  retries?: number;
  /** Applied to every request body: nothing the app sends HubSpot (names, notes from the web) holds its secrets. */
  scrub?: (text: string) => string;
}

/** Calls HubSpot's REST API: bearer token, JSON both ways, 429s waited out per Retry-After, errors in plain words. */
export function createHubspotHttp(options: HubspotHttpOptions) {
  const base = options.apiUrl.replace(/\/+$/, '');
  const maxWait = options.maxRetryWaitMs ?? 10_000;
  const retries = options.retries ?? 2;
  const scrub = options.scrub ?? ((text: string) => text);
  return async function request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
    write: HubspotWrite = 'repeatable',
  ): Promise<T> {
    const once = write === 'create';
    for (let attempt = 0; ; attempt += 1) {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          ...(body === undefined ? {} : { body: scrub(JSON.stringify(body)) }),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        // A connection that was never opened carried nothing; any other failure may have reached HubSpot.
        const unsent = neverSent(error);
        if (attempt < retries && !signal?.aborted && (unsent || !once)) continue;
        const why = timeout.aborted
          ? 'did not answer within 15 s'
          : `could not be reached (${(error as Error).message})`;
        throw new HubspotError(
          'unavailable',
          `HubSpot at ${base} ${why}. Check HUBSPOT_API_URL and try again.`,
          undefined,
          { cause: error, outcomeUnknown: once && !unsent },
        );
      }
      let text: string;
      try {
        text = await res.text();
      } catch (error) {
        // The answer was cut off: HubSpot did the work, or some of it, or none.
        if (attempt < retries && !signal?.aborted && !once) continue;
        throw new HubspotError('unavailable', `HubSpot at ${base} dropped the connection while answering.`, undefined, {
          cause: error,
          outcomeUnknown: once,
        });
      }
      if (res.ok) return (text ? JSON.parse(text) : {}) as T;
      const failure = describeFailure(res.status, text, res.headers.get('retry-after'), base, once);
      // A 429 is refused before anything is done, so even a create may be sent again; a 5xx may come after the work.
      const retryable =
        failure.kind === 'rate_limited' ? (failure.retryAfterMs ?? 0) <= maxWait : res.status >= 500 && !once;
      if (retryable && attempt < retries) {
        const wait = failure.retryAfterMs ?? 500 * 2 ** attempt;
        options.logger.warn({ status: res.status, path, waitMs: wait }, 'HubSpot asked to slow down; retrying');
        await sleep(wait, undefined, signal ? { signal } : undefined);
        continue;
      }
      throw failure;
    }
  };
}

export type HubspotRequest = ReturnType<typeof createHubspotHttp>;

interface ErrorBody {
  message?: string;
  category?: string;
  errorType?: string;
  errors?: {
    message?: string;
    code?: string;
    context?: { requiredGranularScopes?: string[]; propertyName?: string[] };
  }[];
}

/** HubSpot's error envelope ({status, message, category, errors}) in plain words with what to do. */
export function describeFailure(
  status: number,
  text: string,
  retryAfter: string | null,
  base: string,
  afterCreate = false,
): HubspotError {
  let body: ErrorBody = {};
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    body = { message: text.slice(0, 200) };
  }
  const said = (body.message ?? '').slice(0, 300);
  if (status === 401) {
    return new HubspotError(
      'auth',
      'HubSpot refused the token in HUBSPOT_TOKEN (it is wrong, expired or revoked). Create a private app token in HubSpot (Settings → Integrations → Private apps) and set HUBSPOT_TOKEN.',
    );
  }
  if (status === 403) {
    const scopes = body.errors?.flatMap((e) => e.context?.requiredGranularScopes ?? []) ?? [];
    const need =
      scopes.length > 0
        ? scopes.join(', ')
        : 'crm.objects.companies.read, crm.objects.companies.write, crm.objects.contacts.read and crm.objects.contacts.write (for notes) and crm.schemas.companies.write (for the leads_company_key property)';
    return new HubspotError(
      'missing_scopes',
      `The HubSpot token is not allowed to do this. Give its private app the scopes ${need}.`,
    );
  }
  if (status === 429) {
    const seconds = Number(retryAfter);
    const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
    const when =
      retryAfterMs !== undefined
        ? `try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`
        : 'try again in a minute';
    return new HubspotError(
      'rate_limited',
      `HubSpot is rate-limiting this account (${said || 'too many requests'}); ${when}.`,
      retryAfterMs,
    );
  }
  const property = missingProperty(body);
  if (property) {
    return new HubspotError(
      'missing_property',
      `HubSpot has no company property "${property}". Create it in HubSpot (Settings → Properties → Company properties, field type Number) or unset HUBSPOT_SCORE_PROPERTY.`,
    );
  }
  if (status === 404)
    return new HubspotError('not_found', `HubSpot could not find what Leads asked for (${said || 'not found'}).`);
  // A unique value already taken: some of what was sent exists already (maybe from an answer that was lost).
  if (status === 409)
    return new HubspotError('conflict', `HubSpot already holds some of these (${said || 'conflict'}).`, undefined, {
      outcomeUnknown: true,
    });
  if (status >= 500)
    return new HubspotError(
      'unavailable',
      `HubSpot at ${base} had a server error (${status}); try again in a few minutes.`,
      undefined,
      { outcomeUnknown: afterCreate },
    );
  return new HubspotError('bad_request', `HubSpot refused the request (${status}: ${said || 'no reason given'}).`);
}

function missingProperty(body: ErrorBody): string | undefined {
  const fromErrors = body.errors?.find((e) => e.code === 'PROPERTY_DOESNT_EXIST')?.context?.propertyName?.[0];
  if (fromErrors) return fromErrors;
  return /Property \\?"([^"\\]{1,100})\\?" does not exist/.exec(body.message ?? '')?.[1];
}

/** True when a fetch failed before anything was sent: the connection was refused or the host not found. */
function neverSent(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}
