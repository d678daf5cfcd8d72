// Reported: an empty result was posted as "Top 0 customers for AxleWave" with a green tick. No leads is said in
// numbers with Run again; few leads carry a visible warning line.
import { describe, expect, it } from 'vitest';
import type { ModelOptions } from '../fakes/misbehaving-model.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { idsNotFromThePrompt, onlyFirstReasons } from '../support/reported-failures.js';
import { startSlackTestApp } from './support/slack-test-app.js';
import { resultIn, threadOf } from './support/thread-shape.js';

async function start(model: Omit<ModelOptions, 'world'>) {
  const harness = await startPipelineHarness({ brain: model });
  const t = await startSlackTestApp(harness.services.orchestrator);
  return { harness, t };
}

describe('Slack thread with no or few leads', () => {
  it('says in numbers why there are no leads, marks progress finished without results and offers Run again', async () => {
    const { harness, t } = await start({ corrupt: idsNotFromThePrompt });
    await t.command('find customers');
    await t.slack.idle();
    const { replies, all } = threadOf(t.fake);

    expect(JSON.stringify(all)).not.toMatch(/Top 0/);
    expect(replies[0]!.text).toMatch(/^:heavy_minus_sign: Finished without results/);
    expect(replies[0]!.text).not.toMatch(/white_check_mark/);
    const last = replies.at(-1)!;
    expect(last.text).toMatch(/No leads: \d+ names found; .*without a usable score from the model/);
    expect(last.text).toMatch(/Try a broader request/);
    const again = resultIn([last])!.buttons;
    expect(again.map((b) => [b.action_id, b.text.text])).toEqual([['leads_run_again', 'Run again']]);
    const stored = await harness.services.orchestrator.getRun('T0001', again[0]!.value);
    expect(stored?.status).toBe('failed');

    // Run again runs the same request in the same thread (the model still misnumbers, so it ends the same way).
    await t.button('leads_run_again', again[0]!.value);
    await t.slack.idle();
    const after = threadOf(t.fake).replies;
    expect(after.length).toBe(replies.length + 2);
    expect(after.at(-1)!.text).toMatch(/No leads: \d+ names found/);
    expect(resultIn([after.at(-1)!])!.buttons[0]!.value).not.toBe(again[0]!.value);
  });

  it('shows fewer than five leads with a warning line above the table', async () => {
    const { t } = await start({ corrupt: onlyFirstReasons(3) });
    await t.command('find customers');
    await t.slack.idle();
    const { replies } = threadOf(t.fake);
    const result = resultIn(replies)!;

    expect(result.table.rows).toHaveLength(4);
    const blocks = JSON.stringify(result.message.blocks);
    expect(blocks).toContain(':warning: Low-quality result: only 3 leads qualified (fewer than 5).');
    expect(result.message.text).toMatch(/^Top 3 customers for AxleWave:\nWarning: Low-quality result/);
  });
});
