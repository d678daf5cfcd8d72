import { describe, expect, it } from 'vitest';
import { leadRef } from '../../src/domain/feedback.js';
import type { WorkspaceState } from '../../src/slack/deps.js';
import { workspaceOn } from './support/manual-scheduler.js';
import { createScriptedOrchestrator, sampleLeads, type ScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app.js';
import { resultIn, threadOf } from './support/thread-shape.js';

interface MenuBlock {
  type: string;
  block_id?: string;
  accessory?: { type: string; action_id: string; options: { text: { text: string }; value: string }[] };
}

/** The result's lead menus, by lead name as the section shows it. */
function menusOf(message: {
  attachments: unknown[];
  blocks: unknown[];
}): { blockId: string; text: string; options: Record<string, string> }[] {
  const blocks = [
    ...message.blocks,
    ...(message.attachments as { blocks?: unknown[] }[]).flatMap((a) => a.blocks ?? []),
  ] as (MenuBlock & { text?: { text: string } })[];
  return blocks
    .filter((b) => b.type === 'section' && b.accessory?.type === 'overflow')
    .map((b) => ({
      blockId: b.block_id!,
      text: b.text!.text,
      options: Object.fromEntries(b.accessory!.options.map((o) => [o.text.text, o.value])),
    }));
}

async function finishedRun(
  workspace: WorkspaceState = workspaceOn(),
): Promise<{ orchestrator: ScriptedOrchestrator; runId: string; t: SlackTestApp; workspace: WorkspaceState }> {
  const orchestrator = createScriptedOrchestrator();
  const t = await startSlackTestApp(orchestrator, { deps: { workspace } });
  await t.command('find customers');
  await t.fake.waitFor(() => orchestrator.runs.length === 1);
  await t.slack.idle();
  return { orchestrator, runId: orchestrator.runs[0]!.runId!, t, workspace };
}

function lastEphemeral(t: SlackTestApp) {
  const call = t.fake.callsTo('chat.postEphemeral').at(-1)!;
  return {
    text: String(call.args.text),
    blocks: call.args.blocks as {
      type: string;
      elements?: { action_id: string; value: string; text: { text: string } }[];
      accessory?: { action_id: string; value: string };
    }[],
  };
}

describe('feedback on leads', () => {
  it('gives every lead a menu of the four marks, and stores a chosen mark with who and when, answering privately with Undo', async () => {
    const { t, workspace } = await finishedRun();
    const result = resultIn(threadOf(t.fake).replies)!;
    const menus = menusOf(result.message);
    expect(menus).toHaveLength(10);
    expect(Object.keys(menus[0]!.options)).toEqual([
      'Good fit',
      'Not a fit',
      'Already a customer',
      'Wrong company info',
    ]);

    await t.menu('leads_feedback', menus[2]!.blockId, menus[2]!.options['Already a customer']!, { userId: 'U0042' });
    await t.slack.idle();
    const [entry] = await workspace.feedback.list('T0001');
    expect(entry).toMatchObject({
      kind: 'already_customer',
      userId: 'U0042',
      channelId: 'C0001',
      company: { name: 'Harbor Motor Group 3', domain: 'harbor3-motors.example' },
    });
    expect(Date.now() - Date.parse(entry!.at)).toBeLessThan(10_000);
    const answer = lastEphemeral(t);
    expect(answer.text).toBe(
      'Marked *Harbor Motor Group 3* as *Already a customer*. It will be left out of this workspace’s next runs.',
    );
    expect(answer.blocks[1]!.elements!.map((e) => e.text.text)).toEqual(['Add a reason', 'Undo']);
  });

  it('leaves hidden companies out of the workspace’s next run, says how many, lists them under Show hidden, and Undo brings them back', async () => {
    const { orchestrator, runId, t, workspace } = await finishedRun();
    const menus = menusOf(resultIn(threadOf(t.fake).replies)!.message);
    await t.menu('leads_feedback', menus[0]!.blockId, menus[0]!.options['Already a customer']!);
    await t.menu('leads_feedback', menus[1]!.blockId, menus[1]!.options['Not a fit']!);
    await t.menu('leads_feedback', menus[2]!.blockId, menus[2]!.options['Good fit']!);
    await t.slack.idle();
    expect(runId).toBeTruthy();

    await t.command('find customers', { userId: 'U0002', channelId: 'C0002' });
    await t.fake.waitFor(() => orchestrator.runs.length === 2);
    await t.slack.idle();
    expect(orchestrator.runs[1]!.team?.hidden.map((h) => h.name).sort()).toEqual([
      'Harbor Motor Group 1',
      'Harbor Motor Group 2',
    ]);
    expect(orchestrator.runs[1]!.team?.preferences.map((p) => [p.verdict, p.name]).sort()).toEqual([
      ['good_fit', 'Harbor Motor Group 3'],
      ['not_a_fit', 'Harbor Motor Group 2'],
    ]);
    const second = resultIn(threadOf(t.fake, 'C0002').replies)!;
    expect(second.table.rows).toHaveLength(9);
    expect(JSON.stringify(second.message.blocks)).toContain('2 companies hidden by your team');
    const show = second.buttons.find((b) => b.action_id === 'leads_show_hidden')!;
    expect(show.text.text).toBe('Show hidden (2)');

    await t.button('leads_show_hidden', show.value, { channelId: 'C0002', userId: 'U0002' });
    await t.slack.idle();
    const list = lastEphemeral(t);
    expect(list.text).toBe("2 companies hidden by your team's feedback");
    const undo = list.blocks.filter((b) => b.accessory?.action_id === 'leads_feedback_undo');
    expect(undo).toHaveLength(2);
    expect(JSON.stringify(list.blocks)).toContain('Already a customer, marked by <@U0001>');

    await t.button('leads_feedback_undo', undo[0]!.accessory!.value, { channelId: 'C0002', userId: 'U0002' });
    await t.slack.idle();
    expect(lastEphemeral(t).text).toMatch(
      /^Removed the mark \*.*\* on \*Harbor Motor Group [12]\*\. It can appear in this workspace’s runs again\.$/,
    );
    expect((await workspace.feedback.teamContext('T0001')).hidden).toHaveLength(1);
  });

  it('refuses marks, Undo and reasons from another workspace before any handler runs', async () => {
    const { t, workspace } = await finishedRun();
    const menu = menusOf(resultIn(threadOf(t.fake).replies)!.message)[0]!;
    await t.menu('leads_feedback', menu.blockId, menu.options['Already a customer']!, { userId: 'U0001' });
    await t.slack.idle();
    const [entry] = await workspace.feedback.list('T0001');
    const before = t.fake.calls.length;
    await t.menu('leads_feedback', menu.blockId, menu.options['Not a fit']!, { teamId: 'T0002' });
    await t.button('leads_feedback_undo', entry!.id, { teamId: 'T0002' });
    await t.homeButton('leads_feedback_undo', entry!.id, { teamId: 'T0002' });
    await t.submitValues(
      'leads_feedback_reason_modal',
      JSON.stringify({ entryId: entry!.id, channelId: 'C0001' }),
      { feedback_reason: { reason: 'from elsewhere' } },
      { teamId: 'T0002' },
    );
    await t.slack.idle();
    expect(t.fake.calls.slice(before)).toEqual([]);
    expect(await workspace.feedback.list('T0001')).toEqual([entry]);
    expect(await workspace.feedback.list('T0002')).toEqual([]);
    expect(t.logs()).toContain('refused a request from another workspace');
  });

  it.each([
    ['another channel', { channelId: 'C0002' }, (v: string) => v, /belongs to another conversation/],
    [
      'a value naming another run',
      {},
      (v: string) => v.replace(/\|run_[^|]+\|/, '|run_scripted_9|'),
      /no longer available/,
    ],
    [
      'a forged mark',
      {},
      (v: string) => v.replace(/^already_customer/, 'delete_everything'),
      /does not point at a list I made/,
    ],
    ['a lead that is not in the run', {}, (v: string) => v.replace(/[^|]+$/, 'zzzz'), /no longer in this list/],
  ])('refuses a mark from %s and stores nothing', async (_label, who, forge, reason) => {
    const { t, workspace } = await finishedRun();
    const menu = menusOf(resultIn(threadOf(t.fake).replies)!.message)[0]!;
    await t.menu('leads_feedback', menu.blockId, forge(menu.options['Already a customer']!), who);
    await t.slack.idle();
    expect(await workspace.feedback.list('T0001')).toEqual([]);
    expect(await workspace.feedback.list('T0002')).toEqual([]);
    expect(lastEphemeral(t).text).toMatch(reason);
  });

  it('keeps a reason given in the form with the mark', async () => {
    const { t, workspace } = await finishedRun();
    const menu = menusOf(resultIn(threadOf(t.fake).replies)!.message)[4]!;
    await t.menu('leads_feedback', menu.blockId, menu.options['Not a fit']!);
    await t.slack.idle();
    const [entry] = await workspace.feedback.list('T0001');

    await t.button('leads_feedback_reason', entry!.id);
    await t.slack.idle();
    const view = t.fake.callsTo('views.open')[0]!.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('leads_feedback_reason_modal');
    await t.submitValues(view.callback_id, view.private_metadata, {
      feedback_reason: { reason: 'single-point store, too small' },
    });
    await t.slack.idle();
    expect((await workspace.feedback.get('T0001', entry!.id))?.reason).toBe('single-point store, too small');
    expect((await workspace.feedback.teamContext('T0001')).preferences[0]).toMatchObject({
      verdict: 'not_a_fit',
      reason: 'single-point store, too small',
    });
    expect(lastEphemeral(t).text).toMatch(
      /^Saved: \*Harbor Motor Group 5\* is \*Not a fit\* because “single-point store, too small”/,
    );
  });

  it('marks a company of a re-scored list by the lead, not by its old position', async () => {
    const { orchestrator, t, workspace } = await finishedRun();
    const first = menusOf(resultIn(threadOf(t.fake).replies)!.message);
    const runId = orchestrator.runs[0]!.runId!;
    await orchestrator.rescore({ runId, scope: 'T0001' });
    const stored = await orchestrator.getRun('T0001', runId);
    const target = stored!.leads!.find((l) => l.name === 'Harbor Motor Group 3')!;
    expect(target.rank).not.toBe(3);
    await t.menu('leads_feedback', first[2]!.blockId, first[2]!.options['Good fit']!);
    await t.slack.idle();
    expect((await workspace.feedback.list('T0001'))[0]?.company.name).toBe('Harbor Motor Group 3');
    expect(first[2]!.options['Good fit']).toContain(leadRef(sampleLeads(10)[2]!));
  });
});
