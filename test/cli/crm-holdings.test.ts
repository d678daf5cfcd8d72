import { describe, expect, it } from 'vitest';
import { leadsDocumentSchema } from '../../src/domain/types.js';
import { domainOf } from '../../src/domain/url.js';
import { startFakeHubspot } from '../fakes/fake-hubspot.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { runCli } from '../support/run-cli.js';

describe('the CLI with a CRM configured', () => {
  it('leaves the CRM’s customers out, says so, and marks the companies it holds otherwise (text and --json)', async () => {
    const hubspot = await startFakeHubspot();
    const harness = await startPipelineHarness();
    const probe = await harness.services.orchestrator.run({ text: 'find customers', scope: 'probe' });
    const [customer, lead] = probe.leads.map((l) => domainOf(l.website ?? '')!);
    hubspot.seedCompany({ name: 'Customer', domain: customer!, lifecyclestage: 'customer' });
    hubspot.seedCompany({ name: 'Lead', domain: lead!, lifecyclestage: 'salesqualifiedlead' });
    const env = { ...harness.env, HUBSPOT_TOKEN: hubspot.token, HUBSPOT_API_URL: hubspot.url };

    const text = await runCli(['find customers'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Left out: 1 already in HubSpot \(customers or open deals\): /m);
    expect(text.stdout).toMatch(/\(\d+\) \[in HubSpot: sales qualified lead https:\/\/app\.hubspot\.com\/contacts\//);

    const json = await runCli(['find customers', '--json'], env);
    const doc = leadsDocumentSchema.parse(JSON.parse(json.stdout));
    expect(doc.crmHidden?.map((h) => h.domain)).toEqual([customer]);
    expect(doc.leads.some((l) => domainOf(l.website ?? '') === customer)).toBe(false);
    expect(doc.leads.find((l) => domainOf(l.website ?? '') === lead)?.crm?.label).toBe('sales qualified lead');
  }, 60_000);
});
