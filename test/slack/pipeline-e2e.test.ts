import { describe, expect, it } from 'vitest';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { startSlackTestApp } from './support/slack-test-app.js';
import { cellText, resultIn, threadOf } from './support/thread-shape.js';
import { formatStageTime, STAGE_LABELS } from '../../src/slack/blocks/labels.js';

async function start(env?: Record<string, string>) {
  const harness = await startPipelineHarness({ env });
  const t = await startSlackTestApp(harness.services.orchestrator);
  return { harness, t };
}

describe('Slack app on the real pipeline (fake LLM and search)', () => {
  it('answers /leads find customers with a thread ending in a 10-row table with its timeline, then exports a matching CSV', async () => {
    const { harness, t } = await start();
    const ack = await t.command('find customers');
    expect(ack.status).toBe(200);
    expect(ack.elapsedMs).toBeLessThan(3000);
    await t.slack.idle();
    const { parent, replies } = threadOf(t.fake);
    expect(parent?.text).toMatch(/^Finding customers for AxleWave… requested by <@U0001>/);
    expect(replies).toHaveLength(2);
    expect(t.fake.callsTo('chat.update').every((c) => c.args.ts === replies[0]!.ts)).toBe(true);
    expect(replies[0]!.text).toMatch(/Finished in .* candidates found · \d+ enriched · \d+ scored/);
    const result = resultIn([replies[1]!])!;
    // The finished progress message is the run's timeline: each stage with the time the run's stats give it.
    const { stageMs } = (await harness.services.orchestrator.getRun('T0001', result.buttons[0]!.value))!.stats;
    const timeline = (['intent', 'research', 'enrichment', 'scoring'] as const).map(
      (stage) => `${STAGE_LABELS[stage]} ${formatStageTime(stageMs[stage]!)}`,
    );
    expect(replies[0]!.text.split('\n')[1]).toBe(timeline.join(' · '));
    expect(result.table.rows).toHaveLength(11);
    expect(result.buttons.map((b) => b.text.text)).toEqual(['Re-score', 'Export CSV']);

    await t.button('leads_export_csv', result.buttons[1]!.value);
    await t.slack.idle();
    const upload = t.fake.uploads[0]!;
    expect(upload).toMatchObject({ channelId: 'C0001', threadTs: parent!.ts });
    expect(upload.filename).toMatch(/^leads_customer_\d{8}\.csv$/);
    const lines = upload.content!.trimEnd().split('\r\n');
    expect(lines[0]).toBe('rank,name,website,headquarters,size,industry,score,rationale,sources');
    expect(lines).toHaveLength(11);
    const tableNames = result.table.rows.slice(1).map((row) => cellText(row[1]!).replace(/&amp;/g, '&'));
    const csvNames = lines.slice(1).map((line) => line.split(',')[1]!.replace(/^"|"$/g, ''));
    expect(csvNames).toEqual(tableNames);
  });

  it('re-scores through the modal on the stored enrichment and posts the new table with what changed', async () => {
    const { harness, t } = await start();
    await t.command('find partners');
    await t.slack.idle();
    const first = resultIn(threadOf(t.fake).replies)!;
    const runId = first.buttons[0]!.value;
    const llmCallsBefore = harness.ollama.calls.length;
    await t.button('leads_rescore', runId);
    await t.slack.idle();
    const view = t.fake.callsTo('views.open')[0]!.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('leads_rescore_modal');
    await t.submitView(view.callback_id, view.private_metadata, 'favour groups that just bought stores');
    await t.slack.idle();
    const { replies } = threadOf(t.fake);
    expect(replies).toHaveLength(4);
    const second = resultIn([replies[3]!])!;
    expect(second.table.rows).toHaveLength(first.table.rows.length);
    expect(JSON.stringify(replies[3]!.blocks)).toContain(
      'Re-scored with your note: “favour groups that just bought stores”',
    );
    expect(replies[2]!.text).toMatch(/^:white_check_mark: Finished/);
    const stored = await harness.services.orchestrator.getRun('T0001', runId);
    expect(stored?.notes).toEqual(['favour groups that just bought stores']);
    expect(harness.ollama.calls.length).toBeGreaterThan(llmCallsBefore);
  });

  it('puts a plain-words failure in the thread when the language model is down', async () => {
    const { harness, t } = await start({ LLM_TIMEOUT_MS: '2000' });
    await harness.ollama.close();
    await t.command('find me dealer groups in Ohio that might want a new DMS');
    await t.slack.idle();
    const { replies } = threadOf(t.fake);
    const failure = replies.at(-1)!;
    expect(failure.text).toContain('could not finish');
    expect(failure.text).toContain(harness.ollama.url);
    expect(failure.text).not.toMatch(/\n\s+at\s/);
    expect(replies[0]!.text).toMatch(/^:x: Failed/);
    const runId = /Run `([^`]+)`/.exec(JSON.stringify(failure.blocks))![1]!;
    const stored = await harness.services.orchestrator.getRun('T0001', runId);
    expect(stored?.status).toBe('failed');
  }, 60_000);
});
