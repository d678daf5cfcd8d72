import { describe, expect, it } from 'vitest';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp } from './support/slack-test-app.js';
import { resultIn, threadOf } from './support/thread-shape.js';

describe('Slack Web API faults', () => {
  it('waits out a 429 on chat.update, keeps progress to one message, and still delivers the result', async () => {
    const orchestrator = createScriptedOrchestrator({ stepDelayMs: 15 });
    const t = await startSlackTestApp(orchestrator, { progressIntervalMs: 100 });
    t.fake.rateLimit('chat.update', 1);
    await t.command('find customers');
    await t.fake.waitFor(() => orchestrator.runs.length === 1);
    await t.slack.idle();
    const updates = t.fake.callsTo('chat.update');
    const { replies } = threadOf(t.fake);
    expect(replies).toHaveLength(2);
    expect(replies[0]!.text).toMatch(/^:white_check_mark: Finished/);
    expect(resultIn([replies[1]!])!.table.rows).toHaveLength(11);
    // The 429 was answered, the same update retried after Retry-After, and nothing was sent in between.
    expect(updates[1]!.at - updates[0]!.at).toBeGreaterThanOrEqual(950);
    for (let i = 2; i < updates.length; i += 1) expect(updates[i]!.at - updates[i - 1]!.at).toBeGreaterThanOrEqual(90);
    expect(updates.length).toBeLessThan(15);
  });

  it('delivers the result after a 429 on chat.postMessage', async () => {
    const orchestrator = createScriptedOrchestrator();
    const release = orchestrator.hold();
    const t = await startSlackTestApp(orchestrator);
    await t.command('find customers');
    await t.fake.waitFor(() => orchestrator.runs.length === 1 && t!.fake.callsTo('chat.postMessage').length === 2);
    t.fake.rateLimit('chat.postMessage', 1);
    release();
    await t.slack.idle();
    expect(resultIn(threadOf(t.fake).replies)!.table.rows).toHaveLength(11);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(4);
  });

  it('falls back to the text form when Slack refuses the table message', async () => {
    const orchestrator = createScriptedOrchestrator();
    const release = orchestrator.hold();
    const t = await startSlackTestApp(orchestrator);
    await t.command('find customers');
    await t.fake.waitFor(() => t!.fake.callsTo('chat.postMessage').length === 2);
    t.fake.failWith('chat.postMessage', 'invalid_attachments');
    release();
    await t.slack.idle();
    const last = threadOf(t.fake).replies.at(-1)!;
    expect(last.attachments).toEqual([]);
    expect(JSON.stringify(last.blocks)).toContain('```');
    expect(resultIn([last])!.buttons).toHaveLength(2);
  });

  it('keeps the run when every result post fails, leaving a note whose Export button still works', async () => {
    const orchestrator = createScriptedOrchestrator();
    const release = orchestrator.hold();
    const t = await startSlackTestApp(orchestrator);
    await t.command('find customers');
    await t.fake.waitFor(() => t!.fake.callsTo('chat.postMessage').length === 2);
    t.fake.failWith('chat.postMessage', 'msg_too_long');
    t.fake.failWith('chat.postMessage', 'msg_too_long');
    release();
    await t.slack.idle();
    const runId = orchestrator.runs[0]!.runId!;
    expect((await orchestrator.getRun('T0001', runId))?.status).toBe('succeeded');
    const note = threadOf(t.fake).replies.at(-1)!;
    expect(note.text).toContain('are ready and saved');
    const exportButton = resultIn([note])!.buttons.find((b) => b.text.text === 'Export CSV')!;
    await t.button('leads_export_csv', exportButton.value);
    await t.slack.idle();
    expect(t.fake.uploads).toHaveLength(1);
    expect(t.fake.uploads[0]!.content!.split('\r\n')).toHaveLength(12);
  });
});
