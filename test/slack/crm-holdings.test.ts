import { describe, expect, it } from 'vitest';
import { domainOf } from '../../src/domain/url.js';
import { startFakeHubspot } from '../fakes/fake-hubspot.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app.js';
import { resultIn, threadOf } from './support/thread-shape.js';

function lastEphemeral(t: SlackTestApp) {
  const call = t.fake.callsTo('chat.postEphemeral').at(-1)!;
  return { text: String(call.args.text), blocks: JSON.stringify(call.args.blocks) };
}

describe('a result in Slack and the team’s HubSpot', () => {
  it('says how many companies HubSpot holds as customers, lists them under Show hidden, and marks the ones it holds otherwise', async () => {
    const hubspot = await startFakeHubspot();
    const harness = await startPipelineHarness({ env: { HUBSPOT_TOKEN: hubspot.token, HUBSPOT_API_URL: hubspot.url } });
    // Which companies the run will find (another workspace, so this workspace's CRM answers are not cached yet).
    const probe = await harness.services.orchestrator.run({ text: 'find customers', scope: 'probe' });
    const [customer, lead] = probe.leads.map((l) => domainOf(l.website ?? '')!);
    hubspot.seedCompany({ name: 'Customer', domain: customer!, lifecyclestage: 'customer' });
    const held = hubspot.seedCompany({ name: 'Lead', domain: lead!, lifecyclestage: 'lead' });
    const t = await startSlackTestApp(harness.services.orchestrator);
    await t.command('find customers');
    await t.slack.idle();
    const result = resultIn(threadOf(t.fake).replies)!;
    const blocks = JSON.stringify(result.message.blocks);
    expect(blocks).toContain('1 already in HubSpot (customers or open deals) is left out. *Show hidden* lists it.');
    const recordUrl = `https://app.hubspot.com/contacts/${hubspot.portalId}/record/0-2/${held.id}`;
    const markedRow = result.table.rows.find((row) => JSON.stringify(row).includes(recordUrl))!;
    expect(JSON.stringify(markedRow)).toContain('"text":"in HubSpot: lead"');
    expect(JSON.stringify(result.table.rows)).not.toContain(`${customer}"`);

    const show = result.buttons.find((b) => b.action_id === 'leads_show_hidden')!;
    expect(show.text.text).toBe('Show hidden (1)');
    await t.button('leads_show_hidden', show.value);
    await t.slack.idle();
    const list = lastEphemeral(t);
    expect(list.text).toBe('1 already in HubSpot (customers or open deals)');
    expect(list.blocks).toContain('1 company your CRM already holds');
    expect(list.blocks).toContain(`(${customer}): customer in HubSpot`);
    expect(list.blocks).not.toContain('leads_feedback_undo');
  });
});
