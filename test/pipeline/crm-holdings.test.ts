// With a CRM configured, every run asks it (once, batched) which candidates it already holds: customers and companies
// with an open deal are left out and counted, the others are shown with a mark linking to the record; the answer is
// kept briefly per workspace, and a CRM that does not answer is a warning, never a failed run.
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { domainOf } from '../../src/domain/url.js';
import type { LeadsDocument } from '../../src/domain/types.js';
import { startFakeHubspot } from '../fakes/fake-hubspot.js';
import { startFakeSalesforce } from '../fakes/fake-salesforce.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { startLoopbackServer } from '../fakes/loopback-server.js';
import { createHubspotDirectory } from '../../src/crm/hubspot-directory.js';
import { checkCrm } from '../../src/pipeline/crm-check.js';

const quiet = { warn: () => undefined, debug: () => undefined };

const domainsOf = (doc: LeadsDocument) => doc.leads.map((lead) => domainOf(lead.website ?? '') ?? lead.name);

describe('the CRM’s own companies', () => {
  it('leaves HubSpot’s customers and open deals out (counted), marks its other companies, and asks once per 10 minutes', async () => {
    const hubspot = await startFakeHubspot();
    const harness = await startPipelineHarness({ env: { HUBSPOT_TOKEN: hubspot.token, HUBSPOT_API_URL: hubspot.url } });
    const { orchestrator } = harness.services;
    const first = await orchestrator.run({ text: 'find customers', scope: 'T1', fresh: true });
    const [customer, deal, lead] = domainsOf(first);
    const searches = () => hubspot.requests.filter((r) => r.path === '/crm/v3/objects/companies/search').length;
    // One batched search for every candidate of the run, not one per company.
    expect(searches()).toBe(1);

    hubspot.seedCompany({ name: 'Our customer', domain: customer!, lifecyclestage: 'customer' });
    hubspot.seedCompany({
      name: 'In a deal',
      domain: `www.${deal!}`,
      lifecyclestage: 'opportunity',
      hs_num_open_deals: '2',
    });
    const held = hubspot.seedCompany({ name: 'Known lead', domain: lead!, lifecyclestage: 'lead' });
    const second = await orchestrator.run({ text: 'find customers', scope: 'T1', fresh: true });
    expect(domainsOf(second)).not.toContain(customer);
    expect(domainsOf(second)).not.toContain(deal);
    expect(second.crmHidden?.map((h) => [h.domain, h.system, h.standing]).sort()).toEqual(
      [
        [customer, 'hubspot', 'customer'],
        [deal, 'hubspot', 'open_deal'],
      ].sort(),
    );
    const marked = second.leads.find((l) => domainOf(l.website ?? '') === lead)!;
    expect(marked.crm).toEqual({
      system: 'hubspot',
      label: 'lead',
      url: `https://app.hubspot.com/contacts/${hubspot.portalId}/record/0-2/${held.id}`,
    });
    expect(second.leads.filter((l) => l.crm)).toHaveLength(1);
    expect(second.leads).toHaveLength(10);

    // Within minutes the workspace's answer is reused: no new search, the same companies left out.
    const before = searches();
    const third = await orchestrator.run({ text: 'find customers', scope: 'T1' });
    expect(searches()).toBe(before);
    expect(third.crmHidden).toHaveLength(2);
  });

  it('leaves Salesforce’s Customer accounts and open opportunities out, and marks a Prospect with its Type', async () => {
    const salesforce = await startFakeSalesforce();
    const harness = await startPipelineHarness({
      env: {
        SALESFORCE_LOGIN_URL: salesforce.url,
        SALESFORCE_CLIENT_ID: salesforce.clientId,
        SALESFORCE_CLIENT_SECRET: salesforce.clientSecret,
      },
    });
    const { orchestrator } = harness.services;
    const first = await orchestrator.run({ text: 'find customers', scope: 'T1', fresh: true });
    const [customer, deal, prospect] = domainsOf(first);
    salesforce.seedAccount({ Name: 'Customer', Website: `https://www.${customer!}/`, Type: 'Customer - Direct' });
    const inDeal = salesforce.seedAccount({ Name: 'Deal', Website: deal!, Type: 'Prospect' });
    salesforce.seedOpportunity(inDeal.Id, false);
    const known = salesforce.seedAccount({ Name: 'Prospect', Website: `http://${prospect!}`, Type: 'Prospect' });
    const second = await orchestrator.run({ text: 'find customers', scope: 'T1', fresh: true });
    expect(second.crmHidden?.map((h) => [h.domain, h.standing]).sort()).toEqual(
      [
        [customer, 'customer'],
        [deal, 'open_deal'],
      ].sort(),
    );
    expect(second.leads.find((l) => domainOf(l.website ?? '') === prospect)?.crm).toEqual({
      system: 'salesforce',
      label: 'Prospect',
      url: `${salesforce.url}/lightning/r/Account/${known.Id}/view`,
    });
  });

  it('goes on with a warning when the CRM does not answer', async () => {
    const port = await closedPort();
    const harness = await startPipelineHarness({
      env: { HUBSPOT_TOKEN: 'pat-na1-test-0123456789', HUBSPOT_API_URL: `http://127.0.0.1:${port}` },
    });
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'T1', fresh: true });
    expect(doc.leads).toHaveLength(10);
    expect(doc.crmHidden).toBeUndefined();
    expect(doc.stats.warnings.join(' ')).toMatch(
      /Could not ask HubSpot which companies it already holds \(HubSpot at http:\/\/127\.0\.0\.1:\d+ could not be reached .*\), so some of them may be listed\./,
    );
  });

  it('a CRM that refuses to log in is a warning naming what to check, and the run goes on', async () => {
    const salesforce = await startFakeSalesforce();
    const harness = await startPipelineHarness({
      env: {
        SALESFORCE_LOGIN_URL: salesforce.url,
        SALESFORCE_CLIENT_ID: salesforce.clientId,
        SALESFORCE_CLIENT_SECRET: 'wrong-secret',
      },
    });
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'T1', fresh: true });
    expect(doc.leads).toHaveLength(10);
    expect(doc.stats.warnings.join(' ')).toMatch(
      /Could not ask Salesforce which companies it already holds \(Salesforce at .* refused to log in .*check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET/,
    );
  });

  it('a CRM that hangs costs the run its look-up budget only, then a warning', async () => {
    const hanging = await startLoopbackServer(() => ({ delayMs: 5_000, body: {} }));
    const directory = createHubspotDirectory({ token: 'pat-na1-x', apiUrl: hanging.url, logger: quiet });
    const company = { name: 'Harbor', key: 'harbor', website: { value: 'https://harborauto.com', source: 'x' } };
    const started = Date.now();
    const check = await checkCrm([company as never], [directory], { scope: 'T1', fresh: false, logger: quiet }, 300);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(check.kept).toHaveLength(1);
    expect(check.warnings).toEqual([
      'Could not ask HubSpot which companies it already holds (no answer within 0.3 s), so some of them may be listed.',
    ]);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
