import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSalesforceClient, taskMarker } from '../../src/crm/salesforce-client.js';
import { SalesforceError } from '../../src/crm/salesforce-error.js';
import { domainOf } from '../../src/domain/url.js';
import type { Lead } from '../../src/domain/types.js';
import { startFakeSalesforce, type FakeSalesforce, type WriteFailure } from '../fakes/fake-salesforce.js';

const quiet = { warn: () => undefined, debug: () => undefined, info: () => undefined };

function lead(rank: number, name: string, website: string | null, over: Partial<Lead> = {}): Lead {
  return {
    rank,
    name,
    website,
    headquarters: 'Dallas, Texas',
    size: '12 rooftops',
    industry: 'Dealer group',
    fitScore: 90 - rank,
    rationale: `${name} bought two stores.`,
    sources: [`https://news.example.com/${rank}`, 'javascript:alert(1)'],
    ...over,
  };
}

const LEADS = [
  lead(1, 'Harbor Auto Holdings', 'https://www.harborauto.com/about'),
  lead(2, 'Summit Motors', 'https://summitmotors.com'),
  lead(3, "O'Brien_Auto 100%", null),
];

function clientFor(fake: FakeSalesforce, over: { timeoutMs?: number; secret?: string } = {}) {
  return createSalesforceClient({
    loginUrl: fake.url,
    credentials: {
      flow: 'client_credentials',
      clientId: fake.clientId,
      clientSecret: over.secret ?? fake.clientSecret,
    },
    apiVersion: '62.0',
    logger: quiet,
    retryDelayMs: 10,
    ...(over.timeoutMs ? { timeoutMs: over.timeoutMs } : {}),
  });
}

const send = (fake: FakeSalesforce, leads: readonly Lead[] = LEADS, runId = 'run_1', over = {}) =>
  clientFor(fake, over).sendLeads({ leads, request: 'find customers in Texas', runId });

async function failure(work: Promise<unknown>): Promise<SalesforceError> {
  const error = await work.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!(error instanceof SalesforceError)) throw error;
  return error;
}

/** What Salesforce must hold after any number of sends of one run: one account per company, one task per account. */
function expectOnePerCompany(fake: FakeSalesforce, leads: readonly Lead[], runId: string) {
  for (const l of leads) {
    const domain = l.website ? domainOf(l.website) : undefined;
    const mine = fake.accounts.filter((a) =>
      domain ? a.Website !== null && domainOf(a.Website) === domain : a.Name === l.name,
    );
    expect(mine, l.name).toHaveLength(1);
    const tasks = fake.tasks.filter((t) => t.WhatId === mine[0]!.Id && t.Subject.includes(taskMarker(runId)));
    expect(tasks, `${l.name}'s tasks`).toHaveLength(1);
  }
}

describe('Salesforce client', () => {
  it('finds accounts by website domain, creates the rest, and adds one task each with score, reason, verdicts and sources', async () => {
    const fake = await startFakeSalesforce();
    const existing = fake.seedAccount({ Name: 'Harbor Auto (our account)', Website: 'harborauto.com' });
    fake.seedAccount({ Name: 'Not Harbor', Website: 'https://notharborauto.com' });
    const withCriteria = lead(2, 'Summit Motors', 'https://summitmotors.com', {
      criteria: [
        {
          id: 'region',
          verdict: 'met',
          quote: 'headquartered in Irving, Texas',
          source: 'https://summitmotors.com/about',
        },
        { id: 'legacy_dms', verdict: 'unknown', quote: null, source: null },
      ],
    } as Partial<Lead>);
    const outcome = await clientFor(fake).sendLeads({
      leads: [LEADS[0]!, withCriteria, LEADS[2]!],
      request: 'find customers in Texas',
      runId: 'run_1',
      criteria: [
        { id: 'region', label: 'Headquartered in Texas', kind: 'required', from: 'request' },
        { id: 'legacy_dms', label: 'Runs a legacy DMS', kind: 'preferred', from: 'profile' },
      ],
    });

    expect(outcome.companies.map((c) => [c.lead, c.account, c.task])).toEqual([
      ['Harbor Auto Holdings', 'existing', 'added'],
      ['Summit Motors', 'created', 'added'],
      ["O'Brien_Auto 100%", 'created', 'added'],
    ]);
    expect(outcome.companies[0]!.accountId).toBe(existing.Id);
    expect(outcome.companies[0]!.url).toBe(`${fake.url}/lightning/r/Account/${existing.Id}/view`);
    expect(fake.accounts).toHaveLength(4);
    const summit = fake.accounts.find((a) => a.Name === 'Summit Motors')!;
    expect(summit.Website).toBe('https://summitmotors.com');
    const task = fake.tasks.find((t) => t.WhatId === summit.Id)!;
    expect(task.Subject).toBe('Leads: fit 88/100 for “find customers in Texas” [Leads run_1]');
    expect(task.Description).toContain('Leads fit score: 88/100');
    expect(task.Description).toContain('Summit Motors bought two stores.');
    expect(task.Description).toContain(
      '- Headquartered in Texas: met — “headquartered in Irving, Texas” (https://summitmotors.com/about)',
    );
    expect(task.Description).toContain('- Runs a legacy DMS: unknown');
    expect(task.Description).toContain('- https://news.example.com/2');
    expect(task.Description).not.toContain('javascript:');
  });

  it('sends the same run twice, or twice at once, without a second account or task', async () => {
    const fake = await startFakeSalesforce();
    const client = clientFor(fake);
    const input = { leads: LEADS, request: 'find customers', runId: 'run_2' };
    await Promise.all([client.sendLeads(input), client.sendLeads(input)]);
    const third = await client.sendLeads(input);
    expect(third.companies.map((c) => [c.account, c.task])).toEqual([
      ['existing', 'already'],
      ['existing', 'already'],
      ['existing', 'already'],
    ]);
    expectOnePerCompany(fake, LEADS, 'run_2');
    // Another run of the same companies gets its own task, on the same accounts.
    await client.sendLeads({ ...input, runId: 'run_3' });
    expect(fake.accounts).toHaveLength(3);
    expect(fake.tasks).toHaveLength(6);
  });

  it('logs in with a JWT signed by the private key whose certificate the app holds', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const fake = await startFakeSalesforce({
      jwt: {
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        username: 'leads@axlewave.com',
      },
    });
    const jwtClient = (username: string) =>
      createSalesforceClient({
        loginUrl: fake.url,
        credentials: { flow: 'jwt_bearer', clientId: fake.clientId, username, privateKey: pem },
        apiVersion: '62.0',
        logger: quiet,
      });
    const outcome = await jwtClient('leads@axlewave.com').sendLeads({ leads: LEADS, request: 'x', runId: 'run_j' });
    expect(outcome.companies.every((c) => c.task === 'added')).toBe(true);
    const refused = await failure(
      jwtClient('someone@else.com').sendLeads({ leads: LEADS, request: 'x', runId: 'run_j' }),
    );
    expect(refused.message).toMatch(
      /refused to log in \(invalid_grant: user hasn't approved this consumer\); pre-authorize SALESFORCE_USERNAME/,
    );
  });

  it('a wrong secret names SALESFORCE_CLIENT_SECRET, and writes nothing', async () => {
    const fake = await startFakeSalesforce();
    const error = await failure(send(fake, LEADS, 'run_1', { secret: 'wrong' }));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(
      /invalid_client: invalid client credentials\); check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET/,
    );
    expect(fake.accounts).toHaveLength(0);
  });

  it('logs in again once when the session expired, and carries on without duplicating anything', async () => {
    const fake = await startFakeSalesforce();
    const client = clientFor(fake);
    await client.sendLeads({ leads: LEADS.slice(0, 1), request: 'x', runId: 'run_4' });
    fake.expireSessions();
    const outcome = await client.sendLeads({ leads: LEADS, request: 'x', runId: 'run_4' });
    expect(fake.logins).toBe(2);
    expect(outcome.companies.map((c) => c.task)).toEqual(['already', 'added', 'added']);
    expectOnePerCompany(fake, LEADS, 'run_4');
  });

  it('retries a read that got a 503, and reports a 503 that lasts in plain words', async () => {
    const fake = await startFakeSalesforce();
    fake.failNext(2, 503, 'SERVER_UNAVAILABLE', 'Service temporarily unavailable');
    await expect(send(fake)).resolves.toBeDefined();
    expectOnePerCompany(fake, LEADS, 'run_1');

    fake.failNext(3, 503, 'SERVER_UNAVAILABLE', 'Service temporarily unavailable');
    const error = await failure(send(fake, LEADS, 'run_5'));
    expect(error.message).toMatch(/had a server error \(503\); try again in a few minutes/);
  });

  it.each(['fail-503', 'drop', 'hang'] as WriteFailure[])(
    'an account create that was written but answered with %s is looked up, not repeated',
    async (kind) => {
      const fake = await startFakeSalesforce({ hangMs: 1_500 });
      fake.writeThenFail(kind);
      const outcome = await send(fake, LEADS, 'run_6', { timeoutMs: 500 });
      expect(outcome.companies.map((c) => [c.account, c.task])).toEqual([
        ['created', 'added'],
        ['created', 'added'],
        ['created', 'added'],
      ]);
      expectOnePerCompany(fake, LEADS, 'run_6');
      const creates = fake.requests.filter((r) => r.path.endsWith('/composite/sobjects'));
      expect(creates).toHaveLength(2); // the accounts once, the tasks once: nothing sent twice
    },
  );

  it('a task create written and then cut off is found on the account, and the thread is told it is there', async () => {
    const fake = await startFakeSalesforce();
    const client = clientFor(fake);
    await client.sendLeads({ leads: LEADS, request: 'x', runId: 'run_7' });
    // The accounts exist now, so the next send's only write is its tasks: written, then the connection drops.
    fake.writeThenFail('drop');
    const before = fake.requests.length;
    const outcome = await client.sendLeads({ leads: LEADS, request: 'x', runId: 'run_8' });
    expect(outcome.companies.map((c) => [c.account, c.task])).toEqual([
      ['existing', 'added'],
      ['existing', 'added'],
      ['existing', 'added'],
    ]);
    expectOnePerCompany(fake, LEADS, 'run_8');
    expect(fake.requests.slice(before).filter((r) => r.path.endsWith('/composite/sobjects'))).toHaveLength(1);
  });

  it.each(['fail-503', 'drop'] as const)(
    'a create lost before Salesforce applied it (%s) is made once the lookup shows it missing',
    async (kind) => {
      const fake = await startFakeSalesforce();
      fake.failBeforeWrite(kind);
      const outcome = await send(fake, LEADS, 'run_9');
      expect(outcome.companies.map((c) => [c.account, c.task])).toEqual([
        ['created', 'added'],
        ['created', 'added'],
        ['created', 'added'],
      ]);
      expectOnePerCompany(fake, LEADS, 'run_9');
      expect(fake.requests.filter((r) => r.path.endsWith('/composite/sobjects'))).toHaveLength(3);
    },
  );

  it('a create that is lost twice is reported as unconfirmed, and the next Send finds and completes it', async () => {
    const fake = await startFakeSalesforce();
    fake.failBeforeWrite('fail-503');
    fake.failBeforeWrite('drop');
    const outcome = await send(fake, LEADS.slice(0, 1), 'run_10');
    expect(outcome.companies[0]).toMatchObject({ account: 'failed', task: 'failed' });
    expect(outcome.companies[0]!.problem).toMatch(/did not confirm the new account .*press Send again/);
    expect(fake.accounts).toHaveLength(0);
    const again = await send(fake, LEADS.slice(0, 1), 'run_10');
    expect(again.companies[0]).toMatchObject({ account: 'created', task: 'added' });
    expectOnePerCompany(fake, LEADS.slice(0, 1), 'run_10');
  });

  it('an org out of API calls (REQUEST_LIMIT_EXCEEDED) is told in plain words, and nothing is retried', async () => {
    const fake = await startFakeSalesforce();
    fake.failNext(1, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    const error = await failure(send(fake));
    expect(error.kind).toBe('rate_limited');
    expect(error.message).toMatch(
      /API request limit for this org is used up \(REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded\.\)/,
    );
    expect(fake.requests.filter((r) => r.path.includes('/services/data/'))).toHaveLength(1);
  });

  it("says which account an org's duplicate rule refused, and sends the others", async () => {
    const fake = await startFakeSalesforce({ duplicateRule: true });
    fake.seedAccount({ Name: 'Summit Motors', Website: 'https://summit-motors-group.com' });
    const outcome = await send(fake);
    const summit = outcome.companies.find((c) => c.lead === 'Summit Motors')!;
    expect(summit).toMatchObject({ account: 'failed', task: 'failed' });
    expect(summit.problem).toMatch(/duplicate rules refused a new account \(DUPLICATES_DETECTED/);
    expect(outcome.companies.filter((c) => c.task === 'added')).toHaveLength(2);
  });

  it('keeps one account and one task per company whatever mix of failures the sends meet', async () => {
    const kinds = ['fail-503', 'drop', 'lost-503', 'lost-drop', 'expire', 'read-503', 'none'] as const;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 4 }), async (plan) => {
        const fake = await startFakeSalesforce();
        const client = clientFor(fake);
        for (const step of plan) {
          if (step === 'expire') fake.expireSessions();
          else if (step === 'read-503') fake.failNext(1, 503, 'SERVER_UNAVAILABLE', 'busy');
          else if (step === 'lost-503') fake.failBeforeWrite('fail-503');
          else if (step === 'lost-drop') fake.failBeforeWrite('drop');
          else if (step !== 'none') fake.writeThenFail(step);
          const outcome = await client.sendLeads({ leads: LEADS, request: 'x', runId: 'run_p' });
          // What the thread is told is what Salesforce holds.
          for (const company of outcome.companies)
            if (company.task !== 'failed')
              expect(
                fake.tasks.some((t) => t.WhatId === company.accountId && t.Subject.includes('[Leads run_p]')),
              ).toBe(true);
        }
        expectOnePerCompany(fake, LEADS, 'run_p');
        await fake.close();
      }),
      { numRuns: 15, seed: 19 },
    );
  });
});
