import { describe, expect, it } from 'vitest';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp, TEST_SECRETS } from './support/slack-test-app.js';
import { cellText, resultIn, threadOf } from './support/thread-shape.js';

describe('/leads over signed HTTP', () => {
  it('acks at once while the run is still going, then builds parent, one progress message and the result', async () => {
    const orchestrator = createScriptedOrchestrator();
    const release = orchestrator.hold();
    const t = await startSlackTestApp(orchestrator);
    const res = await t.command('find customers in Texas');
    expect(res.status).toBe(200);
    expect(res.elapsedMs).toBeLessThan(3000);
    await t.fake.waitFor(() => orchestrator.runs.length === 1, 5000, 'the run to start');
    expect(resultIn(t.fake.messages)).toBeUndefined();
    release();
    await t.slack.idle();

    const { parent, replies } = threadOf(t.fake);
    expect(parent?.text).toContain('Finding customers for AxleWave… requested by <@U0001>');
    expect(replies).toHaveLength(2);
    const [progress, result] = replies;
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(3);
    expect(t.fake.callsTo('chat.update').length).toBeGreaterThan(0);
    for (const update of t.fake.callsTo('chat.update')) expect(update.args.ts).toBe(progress!.ts);
    expect(progress!.text).toMatch(
      /^:white_check_mark: Finished in .* · 12 candidates found · 12 enriched · 12 scored$/,
    );

    const shape = resultIn([result!])!;
    expect(shape.table.rows).toHaveLength(11);
    expect(shape.table.rows[0]!.map(cellText)).toEqual(['#', 'Company', 'HQ', 'Size', 'Score', 'Why']);
    expect(cellText(shape.table.rows[1]![1]!)).toBe('Harbor Motor Group 1');
    expect(shape.buttons.map((b) => b.text.text)).toEqual(['Re-score', 'Export CSV']);
    const runId = orchestrator.runs[0]!.runId!;
    expect(shape.buttons.every((b) => b.value === runId)).toBe(true);
    expect(orchestrator.runs[0]).toMatchObject({
      text: 'find potential customers in Texas',
      scope: 'T0001',
      origin: { kind: 'slack', teamId: 'T0001', channelId: 'C0001', userId: 'U0001', threadTs: parent!.ts },
    });
  });

  it.each([
    ['find partners lenders in Canada', 'find potential partners lenders in Canada', 'Finding partners for AxleWave'],
    ['find both', 'find potential customers and partners', 'Finding customers and partners for AxleWave'],
    ['RV dealer groups in the Midwest', 'RV dealer groups in the Midwest', 'Finding leads for AxleWave'],
  ])('runs "/leads %s" as "%s"', async (text, request, title) => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    expect((await t.command(text)).status).toBe(200);
    await t.fake.waitFor(() => orchestrator.runs.length === 1);
    await t.slack.idle();
    expect(orchestrator.runs[0]!.text).toBe(request);
    expect(threadOf(t.fake).parent!.text).toContain(title);
  });

  it('answers /leads help with ephemeral usage in the ack and runs nothing', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    const res = await t.command('help');
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expect((res.json as { text: string }).text).toContain('/leads find customers');
    await t.slack.idle();
    expect(orchestrator.runs).toHaveLength(0);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it.each([
    ['empty', ''],
    ['10,000 characters', 'find customers '.repeat(700)],
    ['binary', 'find \u0000\u0007\u0010 customers'],
    ['emoji only', '🚗 🔥 :tada:'],
    ['an unknown subcommand', 'delete'],
  ])('shows usage and runs nothing for %s text', async (_label, text) => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    const res = await t.command(text);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expect((res.json as { text: string }).text).toContain('/leads help');
    await t.slack.idle();
    expect(orchestrator.runs).toHaveLength(0);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('starts exactly one run when Slack delivers the same command again (x-slack-retry-num)', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    await t.command('find customers', { triggerId: 'trig.same' });
    await t.command(
      'find customers',
      { triggerId: 'trig.same' },
      { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } },
    );
    await t.slack.idle();
    expect(orchestrator.runs).toHaveLength(1);
    expect(t.fake.messages.filter((m) => !m.thread_ts)).toHaveLength(1);
  });

  it('tells a user whose run is still going that it is already running, linking to its thread', async () => {
    const orchestrator = createScriptedOrchestrator();
    const release = orchestrator.hold();
    const t = await startSlackTestApp(orchestrator);
    await t.command('find customers');
    await t.fake.waitFor(() => t!.fake.callsTo('chat.getPermalink').length === 1 && orchestrator.runs.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    const replies = await Promise.all(Array.from({ length: 9 }, () => t!.command('find customers')));
    const parent = threadOf(t.fake).parent!;
    for (const reply of replies) {
      expect(reply.json).toMatchObject({ response_type: 'ephemeral' });
      expect((reply.json as { text: string }).text).toContain(
        `<https://fake.slack.com/archives/C0001/p${parent.ts.replace('.', '')}|its thread>`,
      );
      expect((reply.json as { text: string }).text).toContain('still running');
    }
    const other = await t.command('find partners', { userId: 'U0002' });
    expect(other.text).toBe('');
    await t.fake.waitFor(() => orchestrator.runs.length === 2);
    release();
    await t.slack.idle();
    expect(orchestrator.runs).toHaveLength(2);
    await t.command('find customers');
    await t.fake.waitFor(() => orchestrator.runs.length === 3, 5000, 'a new run once the first finished');
    await t.slack.idle();
  });

  it('ends a failed run in its thread in plain words and marks the progress message failed', async () => {
    const orchestrator = createScriptedOrchestrator({
      failWith: `The language model at http://127.0.0.1:11434 did not answer in 60 s; check OLLAMA_HOST (token ${TEST_SECRETS.botToken})`,
    });
    const t = await startSlackTestApp(orchestrator);
    await t.command('find customers');
    await t.fake.waitFor(() => orchestrator.runs.length === 1);
    await t.slack.idle();
    const { replies } = threadOf(t.fake);
    expect(replies).toHaveLength(2);
    expect(replies[0]!.text).toMatch(/^:x: Failed while scoring fit after/);
    expect(replies[1]!.text).toBe(
      ':warning: The request could not finish: The language model at http://127.0.0.1:11434 did not answer in 60 s; check OLLAMA_HOST (token [REDACTED])',
    );
    // Everything sent to Slack except the credential itself (auth.test carries the token by design), plus every log line.
    const sent = t.fake.calls.map(({ method, args }) => ({ method, args: { ...args, token: undefined } }));
    const everything = JSON.stringify(sent) + JSON.stringify(t.fake.responses) + t.logs();
    for (const secret of Object.values(TEST_SECRETS)) expect(everything).not.toContain(secret);
  });

  it('tells the user through response_url when the bot cannot post in the channel, and runs nothing', async () => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    t.fake.failWith('chat.postMessage', 'not_in_channel');
    await t.command('find customers');
    await t.fake.waitFor(() => t!.fake.responses.length === 1, 5000, 'the response_url notice');
    await t.slack.idle();
    expect(t.fake.responses[0]!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(t.fake.responses[0]!.body.text)).toContain('/invite @Leads');
    expect(orchestrator.runs).toHaveLength(0);
  });
});
