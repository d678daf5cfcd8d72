import { describe, expect, it } from 'vitest';
import type { Lead } from '../../src/domain/types.js';
import type { WorkspaceState } from '../../src/slack/deps.js';
import { createManualScheduler, workspaceOn, type ManualScheduler } from './support/manual-scheduler.js';
import {
  createScriptedOrchestrator,
  sampleLeads,
  type ScriptedOptions,
  type ScriptedOrchestrator,
} from './support/scripted-orchestrator.js';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app.js';
import { resultIn } from './support/thread-shape.js';

interface Setup {
  t: SlackTestApp;
  orchestrator: ScriptedOrchestrator;
  scheduler: ManualScheduler;
  workspace: WorkspaceState;
  options: ScriptedOptions;
}

async function start(): Promise<Setup> {
  const options: ScriptedOptions = {};
  const orchestrator = createScriptedOrchestrator(options);
  const scheduler = createManualScheduler();
  const workspace = workspaceOn();
  const t = await startSlackTestApp(orchestrator, { deps: { workspace, scheduler } });
  return { t, orchestrator, scheduler, workspace, options };
}

async function scheduleWeekly(s: Setup, text = 'schedule weekly customers in Texas') {
  const ack = await s.t.command(text);
  expect(ack.status).toBe(200);
  await s.t.slack.idle();
  const [schedule] = await s.workspace.schedules.list('T0001');
  return schedule!;
}

/** The messages of the thread under a parent message. */
function thread(t: SlackTestApp, parentTs: string) {
  return t.fake.messages.filter((m) => m.thread_ts === parentTs);
}

describe('scheduled digests', () => {
  it('schedules "weekly customers …" in the channel, says when the first digest comes, and lists it with Cancel', async () => {
    const s = await start();
    const schedule = await scheduleWeekly(s);
    expect(schedule).toMatchObject({
      cadence: 'weekly',
      cron: '0 6 * * 1',
      timezone: 'UTC',
      request: 'find potential customers in Texas',
      intent: 'customer',
      channelId: 'C0001',
      createdBy: 'U0001',
    });
    expect(s.scheduler.active.has(schedule.id)).toBe(true);
    const notice = s.t.fake.messages.find((m) => m.text.startsWith(':calendar:'))!;
    expect(notice.channel).toBe('C0001');
    expect(notice.text).toMatch(
      /^:calendar: <@U0001> scheduled a digest here: “find potential customers in Texas”, every Monday at 06:00 \(UTC\)\. First one <!date\^\d+\^\{date_pretty\} \{time\}\|\d{4}-\d\d-\d\d 06:00 UTC>\./,
    );

    await s.t.command('schedules');
    await s.t.slack.idle();
    const listed = s.t.fake.responses.at(-1)!.body as {
      text: string;
      blocks: { accessory?: { action_id: string; value: string; confirm?: unknown } }[];
    };
    expect(listed.text).toBe('1 digest scheduled in this channel:');
    const cancel = listed.blocks.find((b) => b.accessory?.action_id === 'leads_schedule_cancel')!.accessory!;
    expect(cancel.value).toBe(schedule.id);
    expect(cancel.confirm).toBeDefined();

    await s.t.button('leads_schedule_cancel', cancel.value, { userId: 'U0007' });
    await s.t.slack.idle();
    expect(await s.workspace.schedules.list('T0001')).toEqual([]);
    expect(s.scheduler.active.size).toBe(0);
    expect(s.t.fake.messages.at(-1)!.text).toBe(
      ':calendar: <@U0007> cancelled the digest “find potential customers in Texas” (every Monday at 06:00 (UTC)).',
    );
  });

  it.each([
    ['schedule customers', /Say how often/],
    ['schedule "*/5 * * * *" customers', /more than once an hour/],
    ['schedule weekly', /Say what the digest should look for/],
  ])('answers "/leads %s" with the problem in the ack and stores nothing', async (text, problem) => {
    const s = await start();
    const ack = await s.t.command(text);
    expect(ack.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(problem) });
    await s.t.slack.idle();
    expect(await s.workspace.schedules.list('T0001')).toEqual([]);
  });

  it('keeps no schedule when the channel refuses the bot, and tells the user how to fix it', async () => {
    const s = await start();
    s.t.fake.failWith('chat.postMessage', 'not_in_channel');
    await s.t.command('schedule daily partners');
    await s.t.slack.idle();
    expect(await s.workspace.schedules.list('T0001')).toEqual([]);
    expect(s.scheduler.active.size).toBe(0);
    expect(String(s.t.fake.responses.at(-1)!.body.text)).toContain('Invite me first');
  });

  it('refuses a Cancel from another workspace, in a message or on its Home tab, and one naming no schedule of this workspace', async () => {
    const s = await start();
    const schedule = await scheduleWeekly(s);
    await s.t.button('leads_schedule_cancel', schedule.id, { teamId: 'T0002' });
    await s.t.homeButton('leads_schedule_cancel', schedule.id, { teamId: 'T0002' });
    await s.t.button('leads_schedule_cancel', 'sch_made_up');
    await s.t.slack.idle();
    expect(String(s.t.fake.callsTo('chat.postEphemeral').at(-1)!.args.text)).toContain(
      'That digest is not scheduled in this workspace',
    );
    expect(await s.workspace.schedules.list('T0001')).toHaveLength(1);
    expect(s.scheduler.active.has(schedule.id)).toBe(true);
  });

  it('posts a first digest of every lead, then only what is new and what changed, and nothing at all for a cancelled schedule', async () => {
    const s = await start();
    const schedule = await scheduleWeekly(s);
    await s.scheduler.fire('T0001', schedule.id);
    await s.t.slack.idle();
    const parents = () =>
      s.t.fake.messages.filter((m) => m.channel === 'C0001' && !m.thread_ts && m.text.includes('digest: customers'));
    expect(parents()).toHaveLength(1);
    expect(parents()[0]!.text).toBe('Weekly digest: customers for AxleWave');
    const first = resultIn(thread(s.t, parents()[0]!.ts))!;
    expect(first.table.rows).toHaveLength(11);
    expect(s.orchestrator.runs[0]).toMatchObject({
      text: 'find potential customers in Texas',
      scope: 'T0001',
      origin: { channelId: 'C0001' },
    });

    // A week on, one company is new and one returning company's size and score moved.
    const leads: Lead[] = sampleLeads(10);
    leads[9] = { ...leads[9]!, name: 'Newcomer Auto Group', website: 'https://newcomer-auto.example' };
    leads[0] = { ...leads[0]!, size: '31 rooftops', fitScore: 80 };
    s.options.leads = leads;
    await s.scheduler.fire('T0001', schedule.id);
    await s.t.slack.idle();
    const second = resultIn(thread(s.t, parents()[1]!.ts))!;
    expect(second.table.rows.map((r) => r[1]!.elements?.[0]?.elements[0]?.text ?? r[1]!.text)).toEqual([
      'Company',
      'Newcomer Auto Group',
    ]);
    const head = JSON.stringify(second.message.blocks);
    expect(head).toContain('1 new lead since the last digest');
    expect(head).toContain('*Harbor Motor Group 1* (#1): fit 95 → 80; size 20 rooftops → 31 rooftops');
    expect(head).toContain('8 companies from earlier digests still rank here with nothing new.');

    await s.scheduler.fire('T0001', schedule.id);
    await s.t.slack.idle();
    const third = thread(s.t, parents()[2]!.ts).at(-1)!;
    expect(third.text).toMatch(
      /^No new customers since the last digest\. The top 10 companies for “find potential customers in Texas” were all in earlier digests\./,
    );

    await s.t.button('leads_schedule_cancel', schedule.id);
    await s.t.slack.idle();
    const before = s.t.fake.messages.length;
    await s.scheduler.fire('T0001', schedule.id);
    await s.t.slack.idle();
    expect(s.t.fake.messages.length).toBe(before);
    expect(await s.workspace.schedules.list('T0001')).toEqual([]);
  });

  it('answers the same request typed by anyone in the workspace at once from the latest digest, with its age and Refresh', async () => {
    const s = await start();
    const schedule = await scheduleWeekly(s, 'schedule weekly customers');
    await s.scheduler.fire('T0001', schedule.id);
    await s.t.slack.idle();
    const runsBefore = s.orchestrator.runs.length;

    const sent = Date.now();
    await s.t.command('find customers', { channelId: 'C0002', userId: 'U0002' });
    await s.t.fake.waitFor(
      () => resultIn(s.t.fake.messages.filter((m) => m.channel === 'C0002')) !== undefined,
      5000,
      'the instant answer',
    );
    expect(Date.now() - sent).toBeLessThan(3000);
    await s.t.slack.idle();
    expect(s.orchestrator.runs).toHaveLength(runsBefore);
    expect(s.orchestrator.reuses).toHaveLength(1);
    const parent = s.t.fake.messages.find((m) => m.channel === 'C0002' && !m.thread_ts)!;
    expect(parent.text).toMatch(/^Customers for AxleWave… requested by <@U0002>/);
    const answer = resultIn(thread(s.t, parent.ts))!;
    expect(answer.table.rows).toHaveLength(11);
    expect(JSON.stringify(answer.message.blocks)).toMatch(/from <!date\^\d+\^\{date_pretty\} \{time\}\|/);
    const refresh = answer.buttons.find((b) => b.action_id === 'leads_refresh')!;

    await s.t.button('leads_refresh', refresh.value, { channelId: 'C0002', userId: 'U0002' });
    await s.t.fake.waitFor(() => s.orchestrator.runs.length === runsBefore + 1, 5000, 'the fresh run');
    await s.t.slack.idle();
    expect(s.orchestrator.runs.at(-1)).toMatchObject({
      text: 'find potential customers',
      fresh: true,
      origin: { channelId: 'C0002', threadTs: parent.ts },
    });

    // Another workspace asking the same thing gets nothing of this one's: the app serves its token's workspace only.
    const other = await s.t.command('find customers', { teamId: 'T0002', channelId: 'C0009', userId: 'U0009' });
    await s.t.slack.idle();
    expect(other.json).toMatchObject({ text: expect.stringMatching(/not installed for this workspace/) });
    expect(s.orchestrator.reuses).toHaveLength(1);
    expect(s.orchestrator.runs).toHaveLength(runsBefore + 1);
  });
});
