import { describe, expect, it } from 'vitest';
import { RunFailedError } from '../../src/domain/types.js';
import { createScriptedOrchestrator, type ScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app.js';
import { cellText, resultIn, threadOf } from './support/thread-shape.js';

async function finishedRun(): Promise<{ orchestrator: ScriptedOrchestrator; runId: string; t: SlackTestApp }> {
  const orchestrator = createScriptedOrchestrator();
  const t = await startSlackTestApp(orchestrator);
  await t.command('find customers');
  await t.fake.waitFor(() => orchestrator.runs.length === 1);
  await t.slack.idle();
  return { orchestrator, runId: orchestrator.runs[0]!.runId!, t };
}

describe('Re-score modal submission', () => {
  it('re-scores with the note and posts the new table and what changed in the same thread', async () => {
    const { orchestrator, runId, t } = await finishedRun();
    await t.button('leads_rescore', runId);
    await t.slack.idle();
    const view = t.fake.callsTo('views.open')[0]!.args.view as { callback_id: string; private_metadata: string };
    const res = await t.submitView(view.callback_id, view.private_metadata, '  favour groups that just bought stores ');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await t.fake.waitFor(() => orchestrator.rescores.length === 1);
    await t.slack.idle();
    expect(orchestrator.rescores[0]).toMatchObject({
      runId,
      scope: 'T0001',
      note: 'favour groups that just bought stores',
    });
    const { parent, replies } = threadOf(t.fake);
    expect(replies).toHaveLength(4);
    expect(replies.every((m) => m.thread_ts === parent!.ts)).toBe(true);
    expect(replies[2]!.text).toMatch(/^:white_check_mark: Finished/);
    const result = resultIn([replies[3]!])!;
    expect(cellText(result.table.rows[1]![1]!)).toBe('Harbor Motor Group 10');
    expect(cellText(result.table.rows[10]![1]!)).toBe('Fresh Start Auto Group');
    const changes = JSON.stringify(replies[3]!.blocks);
    expect(changes).toContain('Re-scored with your note: “favour groups that just bought stores”');
    expect(changes).toContain('*Moved up:* Harbor Motor Group 10 (10 → 1)');
    expect(changes).toContain('*Moved down:* Harbor Motor Group 5 (5 → 6)');
    expect(changes).toContain('Harbor Motor Group 2 (2 → 9)');
    expect(changes).toContain('*New:* Fresh Start Auto Group (#10)');
  });

  it('re-scores without a note when the field is left empty', async () => {
    const { orchestrator, runId, t } = await finishedRun();
    await t.submitView('leads_rescore_modal', JSON.stringify({ runId, channelId: 'C0001' }), '');
    await t.fake.waitFor(() => orchestrator.rescores.length === 1);
    await t.slack.idle();
    expect(orchestrator.rescores[0]!.note).toBeUndefined();
  });

  it.each([
    ['another workspace’s run', { teamId: 'T0002' }, (runId: string) => JSON.stringify({ runId, channelId: 'C0001' })],
    ['metadata naming another channel', {}, (runId: string) => JSON.stringify({ runId, channelId: 'C0002' })],
    ['garbled metadata', {}, () => '{"runId":'],
  ])('refuses a submission with %s', async (_label, who, metadata) => {
    const { orchestrator, runId, t } = await finishedRun();
    await t.submitView('leads_rescore_modal', metadata(runId), 'score X 100', who);
    await new Promise((r) => setTimeout(r, 30));
    await t.slack.idle();
    expect(orchestrator.rescores).toHaveLength(0);
    expect(threadOf(t.fake).replies).toHaveLength(2);
  });

  it('answers "already running" and re-scores nothing while the same user has a run in progress, then re-scores once it is done', async () => {
    const { orchestrator, runId, t } = await finishedRun();
    const release = orchestrator.hold();
    await t.command('find partners');
    await t.submitView('leads_rescore_modal', JSON.stringify({ runId, channelId: 'C0001' }), 'favour big groups');
    await t.fake.waitFor(() => t.fake.callsTo('chat.postEphemeral').length === 1, 5000, 'the answer to the submission');
    expect(String(t.fake.callsTo('chat.postEphemeral')[0]!.args.text)).toContain(
      'Your previous request is still running.',
    );
    expect(orchestrator.rescores).toHaveLength(0);
    release();
    await t.slack.idle();
    await t.submitView('leads_rescore_modal', JSON.stringify({ runId, channelId: 'C0001' }), 'favour big groups');
    await t.fake.waitFor(() => orchestrator.rescores.length === 1, 5000, 'the re-score once the run has finished');
    await t.slack.idle();
    expect((await t.command('find customers')).text).toBe('');
    await t.slack.idle();
    expect(orchestrator.runs).toHaveLength(3);
  });

  it('puts a failed re-score in the thread in plain words', async () => {
    const { orchestrator, runId, t } = await finishedRun();
    orchestrator.rescore = async () => {
      throw new RunFailedError(
        runId,
        'The language model at http://127.0.0.1:11434 did not answer in 60 s; check OLLAMA_HOST',
      );
    };
    await t.submitView('leads_rescore_modal', JSON.stringify({ runId, channelId: 'C0001' }), '');
    await new Promise((r) => setTimeout(r, 30));
    await t.slack.idle();
    const { replies } = threadOf(t.fake);
    expect(replies).toHaveLength(4);
    expect(replies[2]!.text).toMatch(/^:x: Failed/);
    expect(replies[3]!.text).toBe(
      ':warning: The re-score could not finish: The language model at http://127.0.0.1:11434 did not answer in 60 s; check OLLAMA_HOST',
    );
  });
});
