import { describe, expect, it } from 'vitest';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp } from './support/slack-test-app.js';
import { resultIn } from './support/thread-shape.js';

describe('@Leads mentions', () => {
  it('runs a channel mention in a thread under the mention itself', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    const res = await t.mention('<@UBOT> find me partners in Canada', { eventId: 'Ev1', ts: '1700000200.000100' });
    expect(res.status).toBe(200);
    await t.fake.waitFor(() => orchestrator.runs.length === 1);
    await t.slack.idle();
    expect(orchestrator.runs[0]).toMatchObject({
      text: 'find me partners in Canada',
      origin: { threadTs: '1700000200.000100', channelId: 'C0001' },
    });
    expect(t.fake.messages.every((m) => m.thread_ts === '1700000200.000100')).toBe(true);
    expect(t.fake.messages).toHaveLength(2);
    expect(resultIn(t.fake.messages)!.table.rows).toHaveLength(11);
  });

  it('runs a mention inside a thread in that thread', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    await t.mention('<@UBOT> find customers', {
      eventId: 'Ev2',
      ts: '1700000300.000200',
      threadTs: '1700000250.000001',
    });
    await t.fake.waitFor(() => orchestrator.runs.length === 1);
    await t.slack.idle();
    expect(orchestrator.runs[0]!.origin).toMatchObject({ threadTs: '1700000250.000001' });
    expect(t.fake.messages.every((m) => m.thread_ts === '1700000250.000001')).toBe(true);
  });

  it('starts one run when Slack retries the same event (x-slack-retry-num)', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    await t.mention('<@UBOT> find customers', { eventId: 'EvDup', ts: '1700000400.000001' });
    await t.mention(
      '<@UBOT> find customers',
      { eventId: 'EvDup', ts: '1700000400.000001' },
      { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } },
    );
    await t.mention(
      '<@UBOT> find customers',
      { eventId: 'EvDup', ts: '1700000400.000001' },
      { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } },
    );
    await new Promise((r) => setTimeout(r, 50));
    await t.slack.idle();
    expect(orchestrator.runs).toHaveLength(1);
  });

  it('answers a bare mention with ephemeral usage and runs nothing', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    await t.mention('<@UBOT>', { eventId: 'Ev3' });
    await t.fake.waitFor(() => t!.fake.callsTo('chat.postEphemeral').length === 1);
    await t.slack.idle();
    expect(String(t.fake.callsTo('chat.postEphemeral')[0]!.args.text)).toContain('/leads find customers');
    expect(orchestrator.runs).toHaveLength(0);
  });

  it('tells a user with a run in progress that it is already running', async () => {
    const orchestrator = createScriptedOrchestrator();
    const release = orchestrator.hold();
    const t = await startSlackTestApp(orchestrator);
    await t.mention('<@UBOT> find customers', { eventId: 'Ev4' });
    await t.fake.waitFor(() => orchestrator.runs.length === 1);
    await t.mention('<@UBOT> find partners', { eventId: 'Ev5' });
    await t.fake.waitFor(() => t!.fake.callsTo('chat.postEphemeral').length === 1);
    expect(String(t.fake.callsTo('chat.postEphemeral')[0]!.args.text)).toContain('still running');
    release();
    await t.slack.idle();
    expect(orchestrator.runs).toHaveLength(1);
  });
});
