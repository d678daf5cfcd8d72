import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { SalesforceError } from './salesforce-error.js';

/** The two OAuth flows Salesforce recommends for a server without a person at it. */
export type SalesforceCredentials =
  /** Client credentials: the connected (or external client) app's consumer key and secret, run as its "Run As" user. */
  | { flow: 'client_credentials'; clientId: string; clientSecret: string }
  /** JWT bearer: the consumer key, the user to act as, and the private key whose certificate the app holds. */
  | { flow: 'jwt_bearer'; clientId: string; username: string; privateKey: string };

/** An access token and the org instance it is for. */
export interface SalesforceSession {
  accessToken: string;
  instanceUrl: string;
}

const tokenSchema = z.object({ access_token: z.string().min(1), instance_url: z.string().url() });
const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export interface SalesforceAuthOptions {
  /** SALESFORCE_LOGIN_URL: the org's My Domain URL (client credentials need it), or login/test.salesforce.com. */
  loginUrl: string;
  credentials: SalesforceCredentials;
  timeoutMs?: number;
  now?: () => number;
}

/** Gets a session with the configured flow, keeps it until Salesforce says it expired, and gets a new one then. */
export function createSalesforceAuth(options: SalesforceAuthOptions) {
  const loginUrl = options.loginUrl.replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  let current: Promise<SalesforceSession> | undefined;
  // The session `current` resolved to, so a refused one is forgotten at once (not after a microtask).
  let held: SalesforceSession | undefined;
  let key: KeyObject | undefined;

  async function requestToken(signal?: AbortSignal): Promise<SalesforceSession> {
    const { credentials } = options;
    const form = new URLSearchParams(
      credentials.flow === 'client_credentials'
        ? { grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret }
        : { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: assertion(credentials) },
    );
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
    let res: Response;
    try {
      res = await fetch(`${loginUrl}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      const why = timeout.aborted ? 'did not answer within 15 s' : `could not be reached (${(error as Error).message})`;
      throw new SalesforceError(
        'unavailable',
        `Salesforce's login at ${loginUrl} ${why}. Check SALESFORCE_LOGIN_URL.`,
        {
          cause: error,
        },
      );
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const token = tokenSchema.safeParse(body);
    if (res.ok && token.success) return { accessToken: token.data.access_token, instanceUrl: token.data.instance_url };
    if (res.status >= 500)
      throw new SalesforceError('unavailable', `Salesforce's login at ${loginUrl} had a server error (${res.status}).`);
    const refusal = tokenErrorSchema.safeParse(body);
    throw loginRefused(
      refusal.success ? refusal.data : { error: `HTTP ${res.status}`, error_description: text.slice(0, 120) },
      credentials.flow,
      loginUrl,
    );
  }

  function assertion(credentials: Extract<SalesforceCredentials, { flow: 'jwt_bearer' }>): string {
    key ??= createPrivateKey(credentials.privateKey);
    const header = base64url(JSON.stringify({ alg: 'RS256' }));
    const claims = base64url(
      JSON.stringify({
        iss: credentials.clientId,
        sub: credentials.username,
        aud: jwtAudience(loginUrl),
        exp: Math.floor(now() / 1000) + 180,
      }),
    );
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), key).toString('base64url');
    return `${header}.${claims}.${signature}`;
  }

  return {
    /** The current session (one token request at a time; a failed one is tried again next time). */
    session(signal?: AbortSignal): Promise<SalesforceSession> {
      current ??= requestToken(signal).then(
        (session) => (held = session),
        (error: unknown) => {
          current = undefined;
          throw error;
        },
      );
      return current;
    },
    /** Forgets a session Salesforce refused (expired, revoked), so the next call logs in again. */
    invalidate(session: SalesforceSession): void {
      if (held?.accessToken === session.accessToken) {
        held = undefined;
        current = undefined;
      }
    },
  };
}

export type SalesforceAuth = ReturnType<typeof createSalesforceAuth>;

/** Salesforce's `aud` for a JWT: test.salesforce.com for sandboxes, login.salesforce.com for everything else. */
export function jwtAudience(loginUrl: string): string {
  return /test\.salesforce\.com|\.sandbox\.my\.salesforce\.com/i.test(loginUrl)
    ? 'https://test.salesforce.com'
    : 'https://login.salesforce.com';
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** The token endpoint's refusals ({error, error_description}) in plain words naming what to change. */
function loginRefused(
  body: { error: string; error_description?: string },
  flow: SalesforceCredentials['flow'],
  loginUrl: string,
): SalesforceError {
  const said = `${body.error}${body.error_description ? `: ${body.error_description}` : ''}`.slice(0, 200);
  const description = body.error_description ?? '';
  let fix: string;
  if (/not supported on this domain/i.test(description))
    fix = `use your org's My Domain URL (https://<your domain>.my.salesforce.com) as SALESFORCE_LOGIN_URL`;
  else if (body.error === 'invalid_client_id') fix = 'check SALESFORCE_CLIENT_ID (the app’s consumer key)';
  else if (body.error === 'invalid_client')
    fix =
      flow === 'client_credentials'
        ? 'check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the app’s consumer key and secret)'
        : 'check SALESFORCE_CLIENT_ID (the app’s consumer key)';
  else if (/client credentials user/i.test(description))
    fix = 'choose a "Run As" user under the app’s OAuth policies (Client Credentials Flow)';
  else if (/approved|approve/i.test(description))
    fix = `pre-authorize SALESFORCE_USERNAME for the app (its OAuth policies: "Admin approved users", with the user's profile or permission set)`;
  else if (flow === 'jwt_bearer')
    fix = `check SALESFORCE_USERNAME, and that SALESFORCE_PRIVATE_KEY belongs to the certificate the app holds`;
  else fix = 'check the Salesforce settings (SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET)';
  return new SalesforceError('auth', `Salesforce at ${loginUrl} refused to log in (${said}); ${fix}.`);
}
