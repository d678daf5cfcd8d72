// A loopback fake of Salesforce, as much of it as Leads uses: the OAuth token endpoint (client credentials, and JWT
// bearer with a signed assertion checked against the app's certificate key), SOQL queries of Accounts (with their open
// Opportunities) and Tasks, and sObject collection creates. It misbehaves like the real one: sessions expire (401
// INVALID_SESSION_ID), the org runs out of API calls (403 REQUEST_LIMIT_EXCEEDED), it answers 503, and it writes the
// records and then fails (a 503, a dropped connection, a hang). A query it cannot read or a request it does not know
// fails the test (checked by the shared teardown).
import { createPublicKey, randomUUID, verify, type KeyObject } from 'node:crypto';
import { afterTest, expectNoneUnexpected } from '../support/teardown.js';
import { startLoopbackServer, type FakeReply, type LoopbackServer, type RecordedRequest } from './loopback-server.js';

export interface FakeAccount {
  Id: string;
  Name: string;
  Website: string | null;
  Type: string | null;
  CreatedDate: string;
}
export interface FakeTask {
  Id: string;
  WhatId: string;
  Subject: string;
  Description: string;
  Status: string;
}
export interface FakeOpportunity {
  Id: string;
  AccountId: string;
  IsClosed: boolean;
}

export type WriteFailure = 'fail-503' | 'drop' | 'hang';

export interface FakeSalesforceOptions {
  clientId?: string;
  /** Client credentials flow: the secret the app has. */
  clientSecret?: string;
  /** JWT bearer flow: the public key of the certificate the app holds, and the user it may act as. */
  jwt?: { publicKeyPem: string; username: string };
  /** Refuse a new Account whose Name an existing one has (an org's duplicate rule). */
  duplicateRule?: boolean;
  /** How long a hanging answer hangs. */
  hangMs?: number;
}

export interface FakeSalesforce {
  /** SALESFORCE_LOGIN_URL and the instance URL both (one server plays login and org). */
  url: string;
  clientId: string;
  clientSecret: string;
  accounts: FakeAccount[];
  tasks: FakeTask[];
  opportunities: FakeOpportunity[];
  requests: RecordedRequest[];
  unexpected: string[];
  /** Tokens issued so far (a new login after an expiry is one more). */
  readonly logins: number;
  seedAccount(fields: Partial<FakeAccount> & { Name: string }): FakeAccount;
  seedOpportunity(accountId: string, isClosed: boolean): FakeOpportunity;
  /** Every session issued so far is no longer valid: the next API call with it gets 401 INVALID_SESSION_ID. */
  expireSessions(): void;
  /** The next `count` API calls (token requests excepted) are answered with this status and error code. */
  failNext(count: number, status: number, errorCode: string, message: string): void;
  /** The next `count` creates are applied, and then answered with a failure. */
  writeThenFail(kind: WriteFailure, count?: number): void;
  /** The next create is lost before Salesforce applies it (a 503 from a proxy, a connection cut on the way in). */
  failBeforeWrite(kind: Exclude<WriteFailure, 'hang'>): void;
  close(): Promise<void>;
}

const API = /^\/services\/data\/v(\d+\.\d+)(\/.*)$/;

export async function startFakeSalesforce(options: FakeSalesforceOptions = {}): Promise<FakeSalesforce> {
  const clientId = options.clientId ?? '3MVG9fakeConsumerKey0123456789';
  const clientSecret = options.clientSecret ?? 'fake-consumer-secret-0123456789';
  const publicKey: KeyObject | undefined = options.jwt ? createPublicKey(options.jwt.publicKeyPem) : undefined;
  const accounts: FakeAccount[] = [];
  const tasks: FakeTask[] = [];
  const opportunities: FakeOpportunity[] = [];
  const unexpected: string[] = [];
  const valid = new Set<string>();
  const failures: { status: number; errorCode: string; message: string }[] = [];
  const writeFailures: WriteFailure[] = [];
  const lostWrites: Exclude<WriteFailure, 'hang'>[] = [];
  let logins = 0;
  let sequence = 0;
  let url = '';

  const nextId = (prefix: string) => `${prefix}${String((sequence += 1)).padStart(15, '0')}`;
  const errorReply = (status: number, errorCode: string, message: string): FakeReply => ({
    status,
    body: [{ message, errorCode }],
  });

  function token(body: Record<string, string>): FakeReply {
    const refuse = (error: string, description: string): FakeReply => ({
      status: 400,
      body: { error, error_description: description },
    });
    if (body.grant_type === 'client_credentials') {
      if (body.client_id !== clientId) return refuse('invalid_client_id', 'client identifier invalid');
      if (body.client_secret !== clientSecret) return refuse('invalid_client', 'invalid client credentials');
    } else if (body.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      if (!publicKey || !options.jwt) return refuse('invalid_grant', 'invalid assertion');
      const [header, claims, signature] = String(body.assertion ?? '').split('.');
      if (!header || !claims || !signature) return refuse('invalid_grant', 'invalid assertion');
      const signed = verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${claims}`),
        publicKey,
        Buffer.from(signature, 'base64url'),
      );
      if (!signed) return refuse('invalid_grant', 'invalid assertion');
      const payload = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (payload.iss !== clientId) return refuse('invalid_client_id', 'client identifier invalid');
      if (payload.aud !== 'https://login.salesforce.com') return refuse('invalid_grant', 'audience is invalid');
      if (typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now())
        return refuse('invalid_grant', 'expired authorization code');
      if (payload.sub !== options.jwt.username) return refuse('invalid_grant', "user hasn't approved this consumer");
    } else return refuse('unsupported_grant_type', 'grant type not supported');
    logins += 1;
    const accessToken = `00Dfake!${randomUUID()}`;
    valid.add(accessToken);
    return {
      body: {
        access_token: accessToken,
        instance_url: url,
        id: `${url}/id/00Dfake/005fake`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: 'fake',
      },
    };
  }

  function create(body: unknown): FakeReply {
    const before = lostWrites.shift();
    if (before === 'fail-503') return errorReply(503, 'SERVER_UNAVAILABLE', 'Service temporarily unavailable');
    if (before === 'drop') return { destroy: true };
    const records = (body as { records?: Record<string, unknown>[] }).records ?? [];
    const results = records.map((record) => {
      const { attributes, ...fields } = record as { attributes?: { type?: string } } & Record<string, unknown>;
      if (attributes?.type === 'Account') {
        const name = String(fields.Name ?? '');
        if (!name) return failure('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name]');
        if (options.duplicateRule && accounts.some((a) => a.Name.toLowerCase() === name.toLowerCase()))
          return failure('DUPLICATES_DETECTED', 'Use one of these records?');
        const account: FakeAccount = {
          Id: nextId('001'),
          Name: name,
          Website: typeof fields.Website === 'string' ? fields.Website : null,
          Type: typeof fields.Type === 'string' ? fields.Type : null,
          CreatedDate: new Date(Date.now() + sequence).toISOString(),
        };
        accounts.push(account);
        return { id: account.Id, success: true, errors: [] };
      }
      if (attributes?.type === 'Task') {
        const whatId = String(fields.WhatId ?? '');
        if (!accounts.some((a) => a.Id === whatId))
          return failure('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
        if (String(fields.Subject ?? '').length > 255)
          return failure('STRING_TOO_LONG', 'Subject: data value too large');
        const task: FakeTask = {
          Id: nextId('00T'),
          WhatId: whatId,
          Subject: String(fields.Subject ?? ''),
          Description: String(fields.Description ?? ''),
          Status: String(fields.Status ?? ''),
        };
        tasks.push(task);
        return { id: task.Id, success: true, errors: [] };
      }
      return failure('INVALID_TYPE', `sObject type '${attributes?.type}' is not supported.`);
    });
    const after = writeFailures.shift();
    if (after === 'fail-503') return errorReply(503, 'SERVER_UNAVAILABLE', 'Service temporarily unavailable');
    if (after === 'drop') return { destroy: true };
    if (after === 'hang') return { delayMs: options.hangMs ?? 3_000, body: results };
    return { body: results };
  }

  function runQuery(soql: string): FakeReply {
    const parsed = parseSoql(soql);
    if (!parsed) {
      unexpected.push(`SOQL ${soql}`);
      return errorReply(400, 'MALFORMED_QUERY', 'the fake cannot read this query');
    }
    const source = (parsed.from === 'Account' ? accounts : tasks) as unknown as Record<string, unknown>[];
    const rows = source.filter((row) => parsed.matches(row));
    const records = rows.map((row) => {
      const out: Record<string, unknown> = {
        attributes: { type: parsed.from, url: `/services/data/v62.0/sobjects/${parsed.from}/${String(row.Id)}` },
      };
      for (const field of parsed.fields) out[field] = row[field] ?? null;
      if (parsed.openOpportunities) {
        const open = opportunities.filter((o) => o.AccountId === row.Id && !o.IsClosed).slice(0, 1);
        out.Opportunities =
          open.length > 0 ? { totalSize: open.length, done: true, records: open.map((o) => ({ Id: o.Id })) } : null;
      }
      return out;
    });
    return { body: { totalSize: records.length, done: true, records } };
  }

  const server: LoopbackServer = await startLoopbackServer((req): FakeReply => {
    if (req.method === 'POST' && req.path === '/services/oauth2/token')
      return token(req.body as Record<string, string>);
    const api = API.exec(req.path);
    if (!api) {
      unexpected.push(`${req.method} ${req.path}`);
      return { status: 404, body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }] };
    }
    const tokenGiven = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!valid.has(tokenGiven)) return errorReply(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    const failing = failures.shift();
    if (failing) return errorReply(failing.status, failing.errorCode, failing.message);
    const rest = api[2] ?? '';
    if (req.method === 'GET' && rest === '/query') return runQuery(req.query.get('q') ?? '');
    if (req.method === 'POST' && rest === '/composite/sobjects') return create(req.body);
    unexpected.push(`${req.method} ${req.path}`);
    return { status: 404, body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }] };
  });
  url = server.url;

  const fake: FakeSalesforce = {
    url,
    clientId,
    clientSecret,
    accounts,
    tasks,
    opportunities,
    requests: server.requests,
    unexpected,
    get logins() {
      return logins;
    },
    seedAccount(fields) {
      const account: FakeAccount = {
        Id: nextId('001'),
        Website: null,
        Type: null,
        CreatedDate: new Date(Date.now() - 86_400_000 + sequence).toISOString(),
        ...fields,
      };
      accounts.push(account);
      return account;
    },
    seedOpportunity(accountId, isClosed) {
      const opportunity = { Id: nextId('006'), AccountId: accountId, IsClosed: isClosed };
      opportunities.push(opportunity);
      return opportunity;
    },
    expireSessions: () => valid.clear(),
    failNext(count, status, errorCode, message) {
      for (let i = 0; i < count; i += 1) failures.push({ status, errorCode, message });
    },
    writeThenFail(kind, count = 1) {
      for (let i = 0; i < count; i += 1) writeFailures.push(kind);
    },
    failBeforeWrite(kind) {
      lostWrites.push(kind);
    },
    close: () => server.close(),
  };
  afterTest({
    check: () => expectNoneUnexpected('fake Salesforce', unexpected, (line: string) => line),
    close: fake.close,
  });
  return fake;
}

function failure(statusCode: string, message: string) {
  return { success: false, errors: [{ statusCode, message, fields: [] }] };
}

// ---- A small SOQL reader: exactly the shapes Leads sends, anything else is reported as unexpected. ----

interface ParsedQuery {
  from: 'Account' | 'Task';
  fields: string[];
  openOpportunities: boolean;
  matches(row: Record<string, unknown>): boolean;
}

const OPEN_OPPORTUNITIES = /,\s*\(SELECT Id FROM Opportunities WHERE IsClosed = false LIMIT 1\)/;

function parseSoql(soql: string): ParsedQuery | undefined {
  const openOpportunities = OPEN_OPPORTUNITIES.test(soql);
  const match = /^SELECT (.+?) FROM (Account|Task) WHERE (.+)$/s.exec(soql.replace(OPEN_OPPORTUNITIES, ''));
  if (!match) return undefined;
  const fields = (match[1] ?? '').split(',').map((f) => f.trim());
  const conditions = splitConditions(match[3] ?? '');
  if (!conditions) return undefined;
  const tests = conditions.parts.map(parseCondition);
  if (tests.some((t) => t === undefined)) return undefined;
  const checks = tests as ((row: Record<string, unknown>) => boolean)[];
  return {
    from: match[2] as 'Account' | 'Task',
    fields,
    openOpportunities,
    matches: (row) => (conditions.join === 'AND' ? checks.every((t) => t(row)) : checks.some((t) => t(row))),
  };
}

/** Splits on top-level AND / OR outside string literals; a query mixing both is not one Leads sends. */
function splitConditions(where: string): { join: 'AND' | 'OR'; parts: string[] } | undefined {
  const parts: string[] = [];
  const joins = new Set<string>();
  let current = '';
  let inString = false;
  for (let i = 0; i < where.length; i += 1) {
    const ch = where[i] as string;
    if (inString) {
      current += ch;
      if (ch === '\\') current += where[(i += 1)] ?? '';
      else if (ch === "'") inString = false;
      continue;
    }
    if (ch === "'") inString = true;
    const rest = where.slice(i);
    const joiner = /^ (AND|OR) /.exec(rest);
    if (joiner) {
      joins.add(joiner[1] as string);
      parts.push(current.trim());
      current = '';
      i += joiner[0].length - 1;
      continue;
    }
    current += ch;
  }
  parts.push(current.trim());
  if (joins.size > 1) return undefined;
  return { join: joins.has('AND') ? 'AND' : 'OR', parts };
}

function parseCondition(text: string): ((row: Record<string, unknown>) => boolean) | undefined {
  const like = /^(\w+) LIKE ('(?:[^'\\]|\\.)*')$/.exec(text);
  if (like) {
    const pattern = likeRegex(like[2] as string);
    return (row) => typeof row[like[1] as string] === 'string' && pattern.test(row[like[1] as string] as string);
  }
  const inList = /^(\w+) IN \((.+)\)$/.exec(text);
  if (inList) {
    const values = [...(inList[2] as string).matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) =>
      unescape(m[1] as string).toLowerCase(),
    );
    return (row) => values.includes(String(row[inList[1] as string] ?? '').toLowerCase());
  }
  return undefined;
}

function unescape(body: string): string {
  return body.replace(/\\(.)/g, '$1');
}

/** A LIKE literal as a case-insensitive regex: % and _ are wildcards unless escaped. */
function likeRegex(literal: string): RegExp {
  const body = literal.slice(1, -1);
  let source = '';
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i] as string;
    if (ch === '\\') {
      source += escapeRegex(body[(i += 1)] ?? '');
      continue;
    }
    source += ch === '%' ? '.*' : ch === '_' ? '.' : escapeRegex(ch);
  }
  return new RegExp(`^${source}$`, 'is');
}

function escapeRegex(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
