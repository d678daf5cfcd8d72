// A scheduled digest on the real pipeline (fake model and web): the first posts every lead; after the team's marks
// the next posts the company that entered the list and what changed, reusing the caches; the same request typed
// elsewhere is answered at once from it.
import { describe, expect, it } from 'vitest';
import type { WorkspaceState } from '../../src/slack/deps.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { createManualScheduler } from './support/manual-scheduler.js';
import { startSlackTestApp } from './support/slack-test-app.js';
import { cellText, resultIn } from './support/thread-shape.js';

describe('scheduled digests on the real pipeline', () => {
  it('posts every lead first, then the newcomer and what changed after the team’s marks, and answers the same request at once', async () => {
    const harness = await startPipelineHarness();
    const { services } = harness;
    const workspace: WorkspaceState = {
      feedback: services.feedback,
      schedules: services.schedules,
      recentRuns: services.recentRuns,
    };
    const scheduler = createManualScheduler();
    const t = await startSlackTestApp(services.orchestrator, {
      deps: { workspace, scheduler },
    });
    await t.command('schedule weekly customers');
    await t.slack.idle();
    const [schedule] = await workspace.schedules.list('T0001');

    const digests = () =>
      t!.fake.messages.filter((m) => !m.thread_ts && m.text === 'Weekly digest: customers for AxleWave');
    const resultOf = (index: number) => resultIn(t!.fake.messages.filter((m) => m.thread_ts === digests()[index]!.ts))!;
    await scheduler.fire('T0001', schedule!.id);
    await t.slack.idle();
    const first = resultOf(0);
    expect(first.table.rows).toHaveLength(11);
    const firstNames = first.table.rows.slice(1).map((row) => cellText(row[1]!));

    // The team hides the top company and likes the tenth.
    const stored = await services.orchestrator.getRun('T0001', first.buttons[0]!.value);
    const leads = stored!.leads!;
    const menu = (name: string, kind: string) => {
      const blocks = (
        first.message.attachments as {
          blocks: {
            block_id?: string;
            text?: { text: string };
            accessory?: { options: { text: { text: string }; value: string }[] };
          }[];
        }[]
      )[0]!.blocks;
      const section = blocks.find((b) => b.accessory && b.text!.text.includes(name))!;
      return [section.block_id!, section.accessory!.options.find((o) => o.text.text === kind)!.value] as const;
    };
    await t.menu('leads_feedback', ...menu(leads[0]!.name, 'Already a customer'));
    await t.menu('leads_feedback', ...menu(leads[9]!.name, 'Good fit'));
    await t.slack.idle();

    const calls = harness.ollama.calls.length;
    const searches = harness.tavily.requests.length;
    await scheduler.fire('T0001', schedule!.id);
    await t.slack.idle();
    const second = resultOf(1);
    const newNames = second.table.rows.slice(1).map((row) => cellText(row[1]!));
    expect(newNames.length).toBeGreaterThan(0);
    for (const name of newNames) expect(firstNames).not.toContain(name);
    const head = JSON.stringify(second.message.blocks);
    expect(head).toContain('1 company hidden by your team');
    expect(head).toMatch(/Back with news.*fit \d+ → \d+/);
    // Research and company look-ups come from the caches: only scoring, whose prompt now carries the marks, runs again.
    expect(harness.tavily.requests.length).toBe(searches);
    expect(harness.ollama.calls.length - calls).toBeLessThanOrEqual(4);

    const before = harness.ollama.calls.length;
    await t.command('find customers', { channelId: 'C0002', userId: 'U0002' });
    await t.slack.idle();
    const instant = resultIn(t.fake.messages.filter((m) => m.channel === 'C0002'))!;
    expect(instant.buttons.map((b) => b.text.text)).toContain('Refresh');
    expect(instant.table.rows.slice(1).map((row) => cellText(row[1]!))).not.toContain(leads[0]!.name);
    expect(harness.ollama.calls.length).toBe(before);
  });
});
