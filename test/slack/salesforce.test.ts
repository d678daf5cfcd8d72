import { describe, expect, it } from 'vitest';
import { createHubspotClient } from '../../src/crm/hubspot-client.js';
import { createSalesforceClient } from '../../src/crm/salesforce-client.js';
import { startFakeHubspot } from '../fakes/fake-hubspot.js';
import { startFakeSalesforce } from '../fakes/fake-salesforce.js';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app.js';
import { resultIn, threadOf } from './support/thread-shape.js';

const quiet = { warn: () => undefined, debug: () => undefined, info: () => undefined };

async function start(options: { secret?: string; hubspotToo?: boolean } = {}) {
  const salesforce = await startFakeSalesforce();
  const client = createSalesforceClient({
    loginUrl: salesforce.url,
    credentials: {
      flow: 'client_credentials',
      clientId: salesforce.clientId,
      clientSecret: options.secret ?? salesforce.clientSecret,
    },
    apiVersion: '62.0',
    logger: quiet,
    retryDelayMs: 10,
  });
  const orchestrator = createScriptedOrchestrator();
  const hubspot = options.hubspotToo ? await startFakeHubspot() : undefined;
  const t = await startSlackTestApp(orchestrator, {
    deps: {
      salesforce: client,
      ...(hubspot
        ? { hubspot: createHubspotClient({ token: hubspot.token, apiUrl: hubspot.url, logger: quiet }) }
        : {}),
    },
  });
  await t.command('find customers');
  await t.fake.waitFor(() => orchestrator.runs.length === 1);
  await t.slack.idle();
  const result = resultIn(threadOf(t.fake).replies)!;
  return { t, salesforce, result, runId: orchestrator.runs[0]!.runId! };
}

/** The thread's Salesforce line as it ends up (posted, then updated in place). */
function salesforceLine(t: SlackTestApp) {
  return threadOf(t.fake).replies.find((m) => m.history[0]!.text.includes('to Salesforce'))!;
}

describe('Send to Salesforce', () => {
  it('sends each lead as an account with a task, once however often it is pressed, and links every account', async () => {
    const { t, salesforce, result } = await start();
    const send = result.buttons.find((b) => b.action_id === 'leads_send_salesforce')!;
    expect(send.text.text).toBe('Send to Salesforce');
    const ours = salesforce.seedAccount({ Name: 'Harbor 4 (ours)', Website: 'https://www.harbor4-motors.example/' });
    await t.button('leads_send_salesforce', send.value, { userId: 'U0005' });
    await t.button('leads_send_salesforce', send.value, { userId: 'U0006' });
    await t.slack.idle();

    expect(salesforce.accounts).toHaveLength(10);
    expect(salesforce.tasks).toHaveLength(10);
    const lines = threadOf(t.fake).replies.filter((m) => m.history[0]!.text.includes('to Salesforce'));
    expect(lines).toHaveLength(2);
    // The presses are handled one after the other, in whichever order they arrive (Redis mode may swap them).
    const [first, second] = [...lines].sort(
      (a, b) => Number(b.text.includes('9 new')) - Number(a.text.includes('9 new')),
    );
    const by = first!.history[0]!.text.match(/<@(U\d+)>/)![1];
    expect(first!.history[0]!.text).toBe(`:outbox_tray: <@${by}> is sending 10 leads to Salesforce…`);
    expect(first!.text).toBe(
      `<@${by}> sent 10 leads to Salesforce: 9 new accounts, 1 existing one (found by website domain). Each account has a task with the fit score, rationale and sources.`,
    );
    expect(JSON.stringify(first!.blocks)).toContain(
      `<${salesforce.url}/lightning/r/Account/${ours.Id}/view|Harbor Motor Group 4> (existing account, task added)`,
    );
    // The other press finds everything there: it says so, and writes nothing.
    expect(second!.text).toMatch(/sent 10 leads to Salesforce: 0 new accounts, 10 existing ones/);
    expect(JSON.stringify(second!.blocks)).toContain('(existing account, task already there)');
    expect(new Set(lines.map((l) => l.history[0]!.text.match(/<@(U\d+)>/)![1]))).toEqual(new Set(['U0005', 'U0006']));
  });

  it('tells the thread in plain words when Salesforce refuses to log in, or the org is out of API calls', async () => {
    const refused = await start({ secret: 'wrong-secret' });
    await refused.t.button('leads_send_salesforce', refused.runId);
    await refused.t.slack.idle();
    expect(salesforceLine(refused.t).text).toMatch(
      /Sending to Salesforce failed: Salesforce at .* refused to log in \(invalid_client: invalid client credentials\); check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET/,
    );
    await refused.t.close();

    const limited = await start();
    limited.salesforce.failNext(1, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    await limited.t.button('leads_send_salesforce', limited.runId);
    await limited.t.slack.idle();
    expect(salesforceLine(limited.t).text).toMatch(/API request limit for this org is used up/);
    expect(limited.salesforce.accounts).toHaveLength(0);
  });

  it('offers the button only with Salesforce set up, beside Send to HubSpot, and refuses another channel’s run', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    await t.command('find customers');
    await t.fake.waitFor(() => orchestrator.runs.length === 1);
    await t.slack.idle();
    expect(resultIn(threadOf(t.fake).replies)!.buttons.map((b) => b.action_id)).not.toContain('leads_send_salesforce');
    await t.close();

    const started = await start({ hubspotToo: true });
    expect(started.result.buttons.map((b) => b.text.text)).toEqual([
      'Re-score',
      'Export CSV',
      'Send to HubSpot',
      'Send to Salesforce',
    ]);
    await started.t.button('leads_send_salesforce', started.runId, { channelId: 'C0002' });
    await started.t.slack.idle();
    expect(started.salesforce.requests).toHaveLength(0);
  });
});
