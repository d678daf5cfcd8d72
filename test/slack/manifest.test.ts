import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createManualScheduler, workspaceOn } from './support/manual-scheduler.js';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp } from './support/slack-test-app.js';
import { resultIn, threadOf } from './support/thread-shape.js';

/** The bot scope each Web API method the app calls needs (none for auth.test, views.open, views.publish, chat.getPermalink). */
const SCOPE_OF_METHOD: Record<string, string | null> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.getPermalink': null,
  'views.open': null,
  'views.publish': null,
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'conversations.join': 'channels:join',
};
/** Scopes that come from what the app listens to, or lets it post where it was not invited. */
const LISTENER_SCOPES = ['commands', 'app_mentions:read', 'chat:write.public'];

/** The events the app listens to; every one must be subscribed, and no other. */
const LISTENED_EVENTS = ['app_home_opened', 'app_mention'];

function botEvents(path: string): string[] {
  const block = /bot_events:\n((?:\s+(?:#.*|- .+)\n)+)/.exec(readFileSync(path, 'utf8'))![1]!;
  return [...block.matchAll(/- ([a-z_]+)/g)].map((m) => m[1]!).sort();
}

function botScopes(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const block = /bot:\n((?:\s+(?:#.*|- .+)\n)+)/.exec(text)![1]!;
  return [...block.matchAll(/- ([a-z_.:]+)/g)].map((m) => m[1]!).sort();
}

describe('slack manifests', () => {
  it('ask for exactly the scopes a full session uses', async () => {
    const orchestrator = createScriptedOrchestrator();
    const workspace = workspaceOn();
    const scheduler = createManualScheduler();
    const t = await startSlackTestApp(orchestrator, { deps: { workspace, scheduler } });
    try {
      await t.command('find customers');
      await t.fake.waitFor(() => orchestrator.runs.length === 1);
      await t.slack.idle();
      const runId = orchestrator.runs[0]!.runId!;
      // The bot posted with chat:write.public without being a member: Export CSV joins the channel to upload.
      t.fake.notMemberOf('C0001');
      await t.button('leads_export_csv', runId);
      await t.button('leads_rescore', runId);
      await t.slack.idle();
      await t.button('leads_export_csv', runId, { channelId: 'C0009' });
      await t.slack.idle();
      // The sales loop: a mark, Show hidden, a schedule and its digest, the list, an instant answer, App Home.
      const result = resultIn(threadOf(t.fake).replies)!;
      const menu = (
        result.message.attachments as {
          blocks: { block_id?: string; accessory?: { options: { value: string }[] } }[];
        }[]
      )[0]!.blocks.find((b) => b.accessory)!;
      await t.menu('leads_feedback', menu.block_id!, menu.accessory!.options[2]!.value);
      await t.slack.idle();
      await t.button('leads_show_hidden', runId);
      await t.command('schedule weekly customers');
      await t.slack.idle();
      const [schedule] = await workspace.schedules.list('T0001');
      await scheduler.fire('T0001', schedule!.id);
      await t.command('schedules');
      await t.command('find customers', { userId: 'U0002', channelId: 'C0002' });
      await t.openHome();
      await t.slack.idle();
      await t.homeButton('leads_schedule_cancel', schedule!.id);
      await t.slack.idle();
      expect(t.fake.callsTo('views.publish').length).toBeGreaterThan(0);
      const methods = new Set(t.fake.calls.map((c) => c.method));
      for (const method of methods) expect(Object.keys(SCOPE_OF_METHOD)).toContain(method);
      const used = new Set([...methods].map((m) => SCOPE_OF_METHOD[m]).filter((s): s is string => Boolean(s)));
      const expected = [...new Set([...used, ...LISTENER_SCOPES])].sort();
      expect(botScopes('slack-manifest.yml')).toEqual(expected);
      expect(botScopes('manifest/slack-manifest.http.yml')).toEqual(expected);
      expect(botEvents('slack-manifest.yml')).toEqual(LISTENED_EVENTS);
      expect(botEvents('manifest/slack-manifest.http.yml')).toEqual(LISTENED_EVENTS);
    } finally {
      await t.close();
    }
  });

  it('turn Socket Mode on in the default manifest and point every URL at /slack/events in the HTTP one', () => {
    const socket = readFileSync('slack-manifest.yml', 'utf8');
    expect(socket).toMatch(/socket_mode_enabled: true/);
    expect(socket).toMatch(/command: \/leads/);
    expect(socket).toMatch(/bot_events:\n\s+- app_mention/);
    expect(socket).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(socket).toMatch(/app_home:\n(?:\s+#.*\n)?\s+home_tab_enabled: true/);
    const http = readFileSync('manifest/slack-manifest.http.yml', 'utf8');
    expect(http).toMatch(/socket_mode_enabled: false/);
    expect(http).toMatch(/app_home:\n(?:\s+#.*\n)?\s+home_tab_enabled: true/);
    expect([...http.matchAll(/(?:url|request_url): (\S+)/g)].map((m) => m[1])).toEqual([
      'https://leads.example.com/slack/events',
      'https://leads.example.com/slack/events',
      'https://leads.example.com/slack/events',
    ]);
  });
});
