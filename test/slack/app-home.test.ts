import { describe, expect, it } from 'vitest';
import type { WorkspaceState } from '../../src/slack/deps.js';
import { createManualScheduler, workspaceOn } from './support/manual-scheduler.js';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app.js';
import { resultIn, threadOf } from './support/thread-shape.js';

type HomeBlock = {
  type: string;
  text?: { text: string };
  accessory?: { action_id: string; value: string };
  elements?: { text: string }[];
};

async function start(options: { llmUp?: boolean } = {}) {
  const orchestrator = createScriptedOrchestrator();
  const workspace: WorkspaceState = workspaceOn();
  const scheduler = createManualScheduler();
  const t = await startSlackTestApp(orchestrator, {
    deps: {
      workspace,
      scheduler,
      setup: {
        model: 'Ollama llama3.1:8b at 127.0.0.1:11434',
        search: ['tavily', 'duckduckgo'],
        store: 'SQLite (data/cache.sqlite)',
      },
      health: {
        llm: async () => (options.llmUp === false ? { ok: false, problem: 'connection refused' } : { ok: true }),
        store: async () => ({ ok: true }),
      },
    },
  });
  return { t, orchestrator, workspace, scheduler };
}

/** Opens the Home tab as `userId` and returns the published blocks. */
async function home(t: SlackTestApp, who: { userId?: string; teamId?: string } = {}): Promise<HomeBlock[]> {
  const before = t.fake.callsTo('views.publish').length;
  await t.openHome(who);
  await t.fake.waitFor(() => t.fake.callsTo('views.publish').length > before, 5000, 'views.publish');
  return t.fake.homes.get(who.userId ?? 'U0001')!.blocks as HomeBlock[];
}

describe('App Home', () => {
  it('shows the workspace’s recent runs linking to their threads, its schedules with Cancel, its feedback with Undo, and the setup’s health', async () => {
    const { t, workspace } = await start({ llmUp: false });
    await t.command('find customers');
    await t.slack.idle();
    const menu = (resultIn(threadOf(t.fake).replies)!.message.attachments as { blocks: HomeBlock[] }[])[0]!.blocks.find(
      (b) => b.accessory,
    )!;
    await t.menu(
      'leads_feedback',
      'lead_1',
      (menu.accessory as unknown as { options: { value: string }[] }).options[2]!.value,
    );
    await t.command('schedule weekly partners', { channelId: 'C0002' });
    await t.slack.idle();

    const blocks = await home(t);
    const text = JSON.stringify(blocks);
    const parent = threadOf(t.fake).parent!;
    expect(text).toContain(
      `<https://fake.slack.com/archives/C0001/p${parent.ts.replace('.', '')}|“find potential customers”>`,
    );
    expect(text).toContain('10 leads');
    const cancel = blocks.find((b) => b.accessory?.action_id === 'leads_schedule_cancel')!;
    expect(cancel.text!.text).toContain('“find potential partners” in <#C0002>, every Monday at 06:00 (UTC)');
    const undo = blocks.find((b) => b.accessory?.action_id === 'leads_feedback_undo')!;
    expect(undo.text!.text).toMatch(/^\*Harbor Motor Group 1\*: Already a customer, by <@U0001>/);
    expect(text).toContain(
      ':red_circle: Model: Ollama llama3.1:8b at 127.0.0.1:11434 (not answering: connection refused)',
    );
    expect(text).toContain(':mag: Search: tavily → duckduckgo');
    expect(text).toContain(':large_green_circle: Store: SQLite (data/cache.sqlite)');
    expect(text).toContain('HubSpot: not configured (set HUBSPOT_TOKEN)');

    await t.homeButton('leads_feedback_undo', undo.accessory!.value);
    await t.homeButton('leads_schedule_cancel', cancel.accessory!.value);
    await t.slack.idle();
    expect(await workspace.feedback.list('T0001')).toEqual([]);
    expect(await workspace.schedules.list('T0001')).toEqual([]);
    expect(t.fake.messages.at(-1)!.text).toMatch(/^:calendar: <@U0001> cancelled the digest “find potential partners”/);
    const republished = JSON.stringify(t.fake.homes.get('U0001')!.blocks);
    expect(republished).not.toContain('leads_feedback_undo');
    expect(republished).not.toContain('leads_schedule_cancel');
  });

  it('shows only its own workspace’s runs, schedules and marks, and publishes nothing for another workspace', async () => {
    const { t, workspace } = await start();
    // Another workspace's state in the same store (a shared Redis, say) must not leak into this Home tab.
    await workspace.recentRuns.record('T0002', {
      runId: 'run_other',
      request: 'secret request of T0002',
      channelId: 'C0900',
      threadTs: '1.1',
      kind: 'request',
      status: 'succeeded',
      leads: 3,
      at: new Date().toISOString(),
    });
    await workspace.schedules.add({
      id: 'sch_other',
      scope: 'T0002',
      channelId: 'C0900',
      createdBy: 'U0900',
      createdAt: new Date().toISOString(),
      cadence: 'daily',
      cron: '0 6 * * *',
      timezone: 'UTC',
      request: 'secret schedule of T0002',
    });
    const text = JSON.stringify(await home(t));
    expect(text).not.toContain('T0002');
    expect(text).toContain('No runs yet.');
    expect(text).toContain('None yet.');

    const before = t.fake.callsTo('views.publish').length;
    await t.openHome({ teamId: 'T0002', userId: 'U0900' });
    await new Promise((r) => setTimeout(r, 200));
    await t.slack.idle();
    expect(t.fake.callsTo('views.publish')).toHaveLength(before);
  });

  it('publishes nothing for a forged delivery or for the Messages tab', async () => {
    const { t } = await start();
    const forged = await t.openHome({}, { signature: 'v0=0000' });
    expect(forged.status).toBe(401);
    const stale = await t.openHome({}, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    await t.openHome({ tab: 'messages' });
    await new Promise((r) => setTimeout(r, 200));
    await t.slack.idle();
    expect(t.fake.callsTo('views.publish')).toHaveLength(0);
  });
});
