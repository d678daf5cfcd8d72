// Export CSV in a channel the bot was never invited to: chat:write.public lets it post there, not upload.
import { describe, expect, it } from 'vitest';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app.js';

async function finishedRunIn(channelId: string): Promise<{ t: SlackTestApp; runId: string }> {
  const orchestrator = createScriptedOrchestrator();
  const t = await startSlackTestApp(orchestrator);
  await t.command('find customers', { channelId });
  await t.fake.waitFor(() => orchestrator.runs.length === 1);
  await t.slack.idle();
  return { t, runId: orchestrator.runs[0]!.runId! };
}

describe('Export CSV where the bot is not a member', () => {
  it('in a public channel, joins it and uploads the file into the thread', async () => {
    const { t, runId } = await finishedRunIn('C0PUBLIC');
    t.fake.notMemberOf('C0PUBLIC');
    await t.button('leads_export_csv', runId, { channelId: 'C0PUBLIC' });
    await t.slack.idle();
    expect(t.fake.callsTo('conversations.join').map((c) => c.args.channel)).toEqual(['C0PUBLIC']);
    expect(t.fake.uploads.filter((u) => u.channelId === 'C0PUBLIC')).toHaveLength(1);
    expect(t.fake.responses).toEqual([]);
  });

  it('where it cannot join (a private channel), tells the user through the response URL how to invite it', async () => {
    const { t, runId } = await finishedRunIn('G0PRIVATE');
    t.fake.notMemberOf('G0PRIVATE');
    await t.button('leads_export_csv', runId, { channelId: 'G0PRIVATE' });
    await t.slack.idle();
    expect(t.fake.uploads.filter((u) => u.channelId)).toHaveLength(0);
    expect(t.fake.responses).toHaveLength(1);
    expect(t.fake.responses[0]?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(t.fake.responses[0]?.body.text)).toMatch(
      /not a member of this channel\. Invite me with `\/invite @Leads`, then press Export CSV again/,
    );
  });
});
