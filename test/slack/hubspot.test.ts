import { describe, expect, it } from 'vitest';
import { createHubspotClient } from '../../src/crm/hubspot-client.js';
import { renderHubspotSent } from '../../src/slack/blocks/hubspot.js';
import { startFakeHubspot, type FakeHubspot } from '../fakes/fake-hubspot.js';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app.js';
import { resultIn, threadOf } from './support/thread-shape.js';

const quiet = { warn: () => undefined, debug: () => undefined, info: () => undefined };

async function start(
  options: { token?: string; scoreProperty?: string; extraProperties?: string[]; indexLagMs?: number } = {},
) {
  const hubspot = await startFakeHubspot({ extraProperties: options.extraProperties, indexLagMs: options.indexLagMs });
  const client = createHubspotClient({
    token: options.token ?? hubspot.token,
    apiUrl: hubspot.url,
    scoreProperty: options.scoreProperty,
    logger: quiet,
    maxRetryWaitMs: 2000,
    findDelayMs: 50,
  });
  const orchestrator = createScriptedOrchestrator();
  const t = await startSlackTestApp(orchestrator, { deps: { hubspot: client } });
  await t.command('find customers');
  await t.fake.waitFor(() => orchestrator.runs.length === 1);
  await t.slack.idle();
  const result = resultIn(threadOf(t.fake).replies)!;
  return { t, hubspot, result, runId: orchestrator.runs[0]!.runId! };
}

/** The thread's HubSpot line as it ends up (posted, then updated in place). */
function hubspotLine(t: SlackTestApp) {
  return threadOf(t.fake).replies.find((m) => m.history[0]!.text.includes('to HubSpot'))!;
}

describe('Send to HubSpot', () => {
  it('sends each lead as a company with a note, and replaces the "sending" line with a summary linking every record', async () => {
    const { t, hubspot, result } = await start();
    const send = result.buttons.find((b) => b.action_id === 'leads_send_hubspot')!;
    expect(send.text.text).toBe('Send to HubSpot');
    hubspot.seedCompany({ name: 'Harbor 4 (ours)', domain: 'harbor4-motors.example' });
    await t.button('leads_send_hubspot', send.value, { userId: 'U0005' });
    await t.slack.idle();

    expect(hubspot.companies).toHaveLength(10);
    expect(hubspot.notes).toHaveLength(10);
    const line = hubspotLine(t);
    expect(line.history[0]!.text).toBe(':outbox_tray: <@U0005> is sending 10 leads to HubSpot…');
    expect(line.text).toBe(
      '<@U0005> sent 10 leads to HubSpot: 9 new companies, 1 existing one updated (found by website domain). Each has a note with its fit score, rationale and sources.',
    );
    const list = JSON.stringify(line.blocks);
    const harbor4 = hubspot.companies.find((c) => c.properties.domain === 'harbor4-motors.example')!;
    expect(list).toContain(
      `<https://app.hubspot.com/contacts/${hubspot.portalId}/record/0-2/${harbor4.id}|Harbor Motor Group 4> (updated)`,
    );
  });

  it('tells the thread what HubSpot holds after a 502 that followed the write, and a second press adds no second note', async () => {
    const { t, hubspot, runId } = await start({ indexLagMs: 60_000 });
    hubspot.failAfterWrite('502', { what: 'companies' });
    await t.button('leads_send_hubspot', runId, { userId: 'U0005' });
    await t.slack.idle();
    expect(hubspot.companies).toHaveLength(10);
    expect(hubspot.notes).toHaveLength(10);
    expect(hubspotLine(t).text).toBe(
      '<@U0005> sent 10 leads to HubSpot: 10 new companies, 0 existing ones updated (found by website domain). Each has a note with its fit score, rationale and sources.',
    );

    await t.button('leads_send_hubspot', runId, { userId: 'U0006' });
    await t.slack.idle();
    expect(hubspot.companies).toHaveLength(10);
    expect(hubspot.notes).toHaveLength(10);
    const lines = threadOf(t.fake).replies.filter((m) => m.history[0]!.text.includes('to HubSpot'));
    expect(lines.at(-1)!.text).toBe(
      '<@U0006> sent 10 leads to HubSpot: 0 new companies, 10 existing ones updated (found by website domain). Their notes were already there from an earlier send of this list; none was added twice.',
    );
  });

  it.each([
    [
      'a refused token',
      { token: 'pat-na1-revoked' },
      () => undefined,
      /Sending to HubSpot failed: HubSpot refused the token in HUBSPOT_TOKEN/,
    ],
    [
      'a long rate limit',
      {},
      (h: FakeHubspot) => h.rateLimit(90, 5),
      /HubSpot is rate-limiting this account \(You have reached your secondly limit\.\); try again in 90 s/,
    ],
    [
      'a missing score property',
      { scoreProperty: 'leads_fit_score' },
      () => undefined,
      /HubSpot has no company property "leads_fit_score"/,
    ],
  ])('tells the thread in plain words about %s', async (_label, options, prepare, message) => {
    const { t, hubspot, runId } = await start(options);
    prepare(hubspot);
    await t.button('leads_send_hubspot', runId);
    await t.slack.idle();
    expect(hubspotLine(t).text).toMatch(message);
    expect(hubspot.companies).toHaveLength(0);
  });

  it('offers no button without a HubSpot token, and refuses a click naming another workspace’s or channel’s run', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    await t.command('find customers');
    await t.fake.waitFor(() => orchestrator.runs.length === 1);
    await t.slack.idle();
    expect(resultIn(threadOf(t.fake).replies)!.buttons.map((b) => b.action_id)).not.toContain('leads_send_hubspot');
    await t.close();

    const started = await start();
    for (const who of [{ teamId: 'T0002' }, { channelId: 'C0002' }])
      await started.t.button('leads_send_hubspot', started.runId, who);
    await started.t.slack.idle();
    expect(started.hubspot.requests).toHaveLength(0);
    // Another workspace is refused before any handler runs; another channel is told why.
    const refusals = started.t.fake.callsTo('chat.postEphemeral').map((c) => String(c.args.text));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/belongs to another conversation/);
  });

  it('says which leads HubSpot did not confirm, and that sending again is safe', () => {
    const partial = renderHubspotSent(
      {
        companies: [{ lead: 'Harbor', companyId: '1', action: 'created' }],
        notesAdded: 1,
        unconfirmed: ['Summit Motors', 'Granite'],
        unconfirmedReason: 'HubSpot at https://api.hubapi.com had a server error (503); try again in a few minutes.',
      },
      'U0001',
    );
    expect(partial.text).toBe(
      '<@U0001> sent 1 lead to HubSpot: 1 new company, 0 existing ones updated (found by website domain). Each has a note with its fit score, rationale and sources. HubSpot did not confirm 2 more leads (Summit Motors, Granite): press Send again, nothing is created twice.',
    );
    const none = renderHubspotSent(
      { companies: [], notesAdded: 0, unconfirmed: ['Harbor'], unconfirmedReason: 'HubSpot dropped the connection.' },
      'U0001',
    );
    expect(none.text).toBe(
      ':warning: <@U0001> sent 1 lead to HubSpot, but HubSpot did not confirm whether it holds them (HubSpot dropped the connection.). Press Send again: Leads first looks up what HubSpot holds, so nothing is created twice.',
    );
  });
});
