import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import type { SalesforceAuth, SalesforceSession } from './salesforce-auth.js';
import { SalesforceError } from './salesforce-error.js';

export interface SalesforceHttpOptions {
  auth: SalesforceAuth;
  /** SALESFORCE_API_VERSION, e.g. "62.0". */
  apiVersion: string;
  logger: Pick<Logger, 'warn' | 'debug'>;
  timeoutMs?: number;
  /** Extra tries of a read after a 5xx or a dropped connection. */
  readRetries?: number;
  retryDelayMs?: number;
}

/**
 * Calls Salesforce's REST API with the session's bearer token. A 401 (session expired or revoked) logs in again and
 * repeats the call once: Salesforce did nothing with it. Reads are retried after a 5xx or a dropped connection. A
 * write whose answer is lost (timeout, 5xx, dropped connection) is never repeated here: it throws `unknown_outcome`,
 * and the caller looks at what Salesforce holds before writing again.
 */
export function createSalesforceHttp(options: SalesforceHttpOptions) {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const readRetries = options.readRetries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 500;

  return async function request<T>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const isRead = method === 'GET';
    let renewed = false;
    for (let attempt = 0; ; attempt += 1) {
      const session = await options.auth.session(signal);
      const url = path.startsWith('/services/')
        ? `${session.instanceUrl}${path}`
        : `${session.instanceUrl}/services/data/v${options.apiVersion}${path}`;
      const timeout = AbortSignal.timeout(timeoutMs);
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${session.accessToken}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        text = await res.text();
      } catch (error) {
        if (signal?.aborted) throw error;
        const why = timeout.aborted
          ? `did not answer within ${Math.round(timeoutMs / 1000)} s`
          : 'dropped the connection';
        if (isRead && attempt < readRetries) {
          await pause(attempt, signal);
          continue;
        }
        throw new SalesforceError(
          isRead ? 'unavailable' : 'unknown_outcome',
          `Salesforce at ${host(session)} ${why}${isRead ? '; try again in a few minutes' : ''}.`,
          { cause: error },
        );
      }
      if (res.ok) return (text ? JSON.parse(text) : {}) as T;
      const failure = describeFailure(res.status, text, session);
      if (res.status === 401 && !renewed) {
        // An expired session did nothing: log in again and send the same call once more.
        renewed = true;
        options.auth.invalidate(session);
        options.logger.debug({ path: pathOnly(path) }, 'Salesforce session expired; logging in again');
        attempt -= 1;
        continue;
      }
      if (res.status >= 500) {
        if (isRead && attempt < readRetries) {
          options.logger.warn({ status: res.status, path: pathOnly(path) }, 'Salesforce read failed; retrying');
          await pause(attempt, signal);
          continue;
        }
        if (!isRead)
          throw new SalesforceError(
            'unknown_outcome',
            `Salesforce at ${host(session)} answered ${res.status} to a write.`,
          );
      }
      throw failure;
    }
  };

  async function pause(attempt: number, signal?: AbortSignal) {
    await sleep(retryDelayMs * 2 ** attempt, undefined, signal ? { signal } : undefined);
  }
}

export type SalesforceRequest = ReturnType<typeof createSalesforceHttp>;

const errorListSchema = (value: unknown): { message?: string; errorCode?: string }[] =>
  Array.isArray(value) ? (value as { message?: string; errorCode?: string }[]) : [value as { message?: string }];

/** Salesforce's error list ([{message, errorCode}]) in plain words with what to do. */
export function describeFailure(status: number, text: string, session: SalesforceSession): SalesforceError {
  let first: { message?: string; errorCode?: string } = {};
  try {
    first = errorListSchema(JSON.parse(text))[0] ?? {};
  } catch {
    first = { message: text.slice(0, 200) };
  }
  const code = first.errorCode ?? `HTTP ${status}`;
  const said = `${code}: ${(first.message ?? 'no reason given').slice(0, 240)}`;
  const where = host(session);
  if (status === 401)
    return new SalesforceError(
      'auth',
      `Salesforce at ${where} refused the session (${said}) even after logging in again; check the app's OAuth policies and SALESFORCE_CLIENT_ID.`,
    );
  if (code === 'REQUEST_LIMIT_EXCEEDED')
    return new SalesforceError(
      'rate_limited',
      `Salesforce's API request limit for this org is used up (${said}). It frees up over the next 24 hours; try again later, or ask your admin about the org's API limits.`,
    );
  if (status === 403)
    return new SalesforceError(
      'forbidden',
      `The Salesforce user Leads acts as may not do this (${said}). Give it API access and read/create on Accounts and Tasks.`,
    );
  if (status === 404)
    return new SalesforceError(
      'not_found',
      `Salesforce at ${where} has no such resource (${said}); check SALESFORCE_API_VERSION.`,
    );
  if (status >= 500)
    return new SalesforceError(
      'unavailable',
      `Salesforce at ${where} had a server error (${status}); try again in a few minutes.`,
    );
  return new SalesforceError('bad_request', `Salesforce refused the request (${said}).`);
}

function host(session: SalesforceSession): string {
  try {
    return new URL(session.instanceUrl).host;
  } catch {
    return session.instanceUrl;
  }
}

/** A path without its query, for logs (a SOQL query carries company names). */
function pathOnly(path: string): string {
  return path.split('?')[0] ?? path;
}
