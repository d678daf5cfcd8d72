import { describe, expect, it } from 'vitest';
import { createHubspotClient } from '../../src/crm/hubspot-client.js';
import { HubspotError } from '../../src/crm/hubspot-http.js';
import type { Lead } from '../../src/domain/types.js';
import { startFakeHubspot } from '../fakes/fake-hubspot.js';

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
    sources: [`https://news.example.com/${rank}`],
    ...over,
  };
}

const LEADS = [
  lead(1, 'Harbor Auto Holdings', 'https://www.harborauto.com/about'),
  lead(2, 'Summit Motors', 'https://summitmotors.com'),
  lead(3, 'Granite Dealer Group', null),
];

async function failure(work: Promise<unknown>): Promise<HubspotError> {
  const error = await work.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!(error instanceof HubspotError)) throw error;
  return error;
}

describe('HubSpot client', () => {
  it('finds companies by domain and updates them, creates the rest, and notes score, rationale and sources on each', async () => {
    const hubspot = await startFakeHubspot({ extraProperties: ['leads_fit_score'] });
    const existing = hubspot.seedCompany({
      name: 'Harbor Auto (our account)',
      domain: 'harborauto.com',
      website: 'https://harborauto.com',
    });
    const client = createHubspotClient({
      token: hubspot.token,
      apiUrl: hubspot.url,
      scoreProperty: 'leads_fit_score',
      logger: quiet,
    });
    const outcome = await client.sendLeads({ leads: LEADS, request: 'find potential customers', runId: 'run_1' });

    expect(hubspot.companies).toHaveLength(3);
    expect(existing.properties).toMatchObject({ name: 'Harbor Auto (our account)', leads_fit_score: '89' });
    expect(outcome.companies.map((c) => [c.lead, c.action])).toEqual([
      ['Harbor Auto Holdings', 'updated'],
      ['Summit Motors', 'created'],
      ['Granite Dealer Group', 'created'],
    ]);
    const summit = hubspot.companies.find((c) => c.properties.domain === 'summitmotors.com')!;
    expect(summit.properties).toMatchObject({
      name: 'Summit Motors',
      website: 'https://summitmotors.com',
      leads_fit_score: '88',
    });
    expect(outcome.companies[1]!.url).toBe(
      `https://app.hubspot.com/contacts/${hubspot.portalId}/record/0-2/${summit.id}`,
    );
    expect(outcome.notesAdded).toBe(3);
    const note = hubspot.notes.find((n) => n.companyIds[0] === summit.id)!;
    expect(note.body).toContain('Leads fit score: 88/100');
    expect(note.body).toContain('Summit Motors bought two stores.');
    expect(note.body).toContain('<a href="https://news.example.com/2">');
  });

  it('sends the same leads twice without duplicating a company or a note, and keys each company it creates', async () => {
    const hubspot = await startFakeHubspot();
    const client = createHubspotClient({ token: hubspot.token, apiUrl: hubspot.url, logger: quiet });
    await client.sendLeads({ leads: LEADS, request: 'r', runId: 'run_1' });
    const again = await client.sendLeads({ leads: LEADS, request: 'r', runId: 'run_1' });
    expect(hubspot.companies).toHaveLength(3);
    expect(again.companies.every((c) => c.action === 'updated')).toBe(true);
    expect(hubspot.notes).toHaveLength(3);
    expect(hubspot.properties.get('leads_company_key')).toEqual({ unique: true });
    expect(hubspot.companies.map((c) => c.properties.leads_company_key).sort()).toEqual([
      'harborauto.com',
      'name:granite dealer group',
      'summitmotors.com',
    ]);
  });

  it('does not duplicate companies when two sends overlap while HubSpot’s search index lags behind', async () => {
    const hubspot = await startFakeHubspot({ indexLagMs: 60_000 });
    const client = createHubspotClient({ token: hubspot.token, apiUrl: hubspot.url, logger: quiet });
    await Promise.all([
      client.sendLeads({ leads: LEADS, request: 'r', runId: 'run_1' }),
      client.sendLeads({ leads: LEADS, request: 'r', runId: 'run_1' }),
    ]);
    expect(hubspot.companies).toHaveLength(3);
  });

  it('says in plain words that the token was refused, and changes nothing', async () => {
    const hubspot = await startFakeHubspot();
    const client = createHubspotClient({ token: 'pat-na1-wrong', apiUrl: hubspot.url, logger: quiet });
    const error = await failure(client.sendLeads({ leads: LEADS, request: 'r', runId: 'run_1' }));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/HubSpot refused the token in HUBSPOT_TOKEN/);
    expect(hubspot.companies).toHaveLength(0);
  });

  it('waits out a 429 per its Retry-After, and reports one that asks to wait too long', async () => {
    const hubspot = await startFakeHubspot();
    const client = createHubspotClient({
      token: hubspot.token,
      apiUrl: hubspot.url,
      logger: quiet,
      maxRetryWaitMs: 5000,
    });
    hubspot.rateLimit(1, 1);
    const started = Date.now();
    await client.sendLeads({ leads: LEADS, request: 'r', runId: 'run_1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(hubspot.companies).toHaveLength(3);

    hubspot.rateLimit(120, 3);
    const error = await failure(client.sendLeads({ leads: LEADS, request: 'r', runId: 'run_2' }));
    expect(error.kind).toBe('rate_limited');
    expect(error.message).toMatch(
      /HubSpot is rate-limiting this account \(You have reached your secondly limit\.\); try again in 120 s/,
    );
  });

  it('names a score property that does not exist and says how to fix it', async () => {
    const hubspot = await startFakeHubspot();
    const client = createHubspotClient({
      token: hubspot.token,
      apiUrl: hubspot.url,
      scoreProperty: 'leads_fit_score',
      logger: quiet,
    });
    const error = await failure(client.sendLeads({ leads: LEADS, request: 'r', runId: 'run_1' }));
    expect(error.kind).toBe('missing_property');
    expect(error.message).toContain('HubSpot has no company property "leads_fit_score"');
    expect(error.message).toContain('HUBSPOT_SCORE_PROPERTY');
  });

  it('escapes web text in notes and links only http(s) sources', async () => {
    const hubspot = await startFakeHubspot();
    const client = createHubspotClient({ token: hubspot.token, apiUrl: hubspot.url, logger: quiet });
    const hostile = lead(1, '<script>alert(1)</script> Motors', 'https://evil.example', {
      rationale: '<img src=x onerror=alert(1)>',
      sources: ['javascript:alert(1)', 'https://ok.example/"><b>'],
    });
    await client.sendLeads({ leads: [hostile], request: 'r', runId: 'run_1' });
    const body = hubspot.notes[0]!.body;
    expect(body).not.toMatch(/<script|<img|javascript:|"><b>/);
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
