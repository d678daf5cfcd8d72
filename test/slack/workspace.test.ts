// Only the workspace the bot token belongs to (auth.test at start-up) is served; other bots are not answered
// unless SLACK_ALLOWED_BOTS names them.
import { describe, expect, it } from 'vitest';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp } from './support/slack-test-app.js';

describe('which workspace is asking', () => {
  it('refuses /leads from another workspace in the ack, and starts nothing', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    const before = t.fake.calls.length;
    const res = await t.command('find customers', { teamId: 'T0BAD' });
    await t.slack.idle();
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/not installed for this workspace/),
    });
    expect(orchestrator.runs).toHaveLength(0);
    expect(t.fake.calls.slice(before)).toEqual([]);
  });

  it('ignores a mention from another workspace', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    const before = t.fake.calls.length;
    await t.mention('<@UBOT> find customers', { teamId: 'T0BAD' });
    await new Promise((r) => setTimeout(r, 200));
    await t.slack.idle();
    expect(orchestrator.runs).toHaveLength(0);
    expect(t.fake.calls.slice(before)).toEqual([]);
  });

  it('serves its own workspace as before', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    await t.command('find customers');
    await t.fake.waitFor(() => orchestrator.runs.length === 1);
    await t.slack.idle();
    expect(t.fake.callsTo('auth.test').length).toBeGreaterThan(0);
  });
});

describe('mentions from other bots', () => {
  it('are ignored by default', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    const before = t.fake.calls.length;
    await t.mention('<@UBOT> find customers', { userId: 'U0OTHERBOT', botId: 'B0OTHER' });
    await new Promise((r) => setTimeout(r, 200));
    await t.slack.idle();
    expect(orchestrator.runs).toHaveLength(0);
    expect(t.fake.calls.slice(before)).toEqual([]);
  });

  it('are answered when SLACK_ALLOWED_BOTS names the bot', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator, { env: { SLACK_ALLOWED_BOTS: 'B0OTHER, B0ELSE' } });
    await t.mention('<@UBOT> find customers', { userId: 'U0OTHERBOT', botId: 'B0OTHER' });
    await t.fake.waitFor(() => orchestrator.runs.length === 1);
    await t.slack.idle();
  });
});
