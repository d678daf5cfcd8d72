import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Lead } from '../../src/domain/types.js';
import { createScriptedOrchestrator, sampleLeads, type ScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { startSlackTestApp, type SlackTestApp } from './support/slack-test-app.js';
import { cellText, resultIn, threadOf } from './support/thread-shape.js';

async function finishedRun(
  leads?: Lead[],
): Promise<{ orchestrator: ScriptedOrchestrator; runId: string; t: SlackTestApp }> {
  const orchestrator = createScriptedOrchestrator({ leads });
  const t = await startSlackTestApp(orchestrator);
  await t.command('find customers');
  await t.fake.waitFor(() => orchestrator.runs.length === 1);
  await t.slack.idle();
  return { orchestrator, runId: orchestrator.runs[0]!.runId!, t };
}

describe('Export CSV button', () => {
  it('uploads leads_<intent>_<date>.csv into the run’s thread with rows matching the table', async () => {
    const leads = sampleLeads(10);
    leads[0] = { ...leads[0]!, name: '=cmd|"/c calc"!A1, Inc.', rationale: 'Says "hello", then\nleaves' };
    const { runId, t } = await finishedRun(leads);
    const table = resultIn(threadOf(t.fake).replies)!.table;
    await t.button('leads_export_csv', runId);
    await t.slack.idle();
    expect(t.fake.uploads).toHaveLength(1);
    const upload = t.fake.uploads[0]!;
    expect(upload.filename).toMatch(/^leads_customer_\d{8}\.csv$/);
    expect(upload).toMatchObject({ channelId: 'C0001', threadTs: threadOf(t.fake).parent!.ts, title: upload.filename });
    // RFC 4180 as a spreadsheet reads it: CRLF rows, quoted fields with doubled quotes and line breaks inside.
    const rows = parse(upload.content!, { record_delimiter: '\r\n' }) as string[][];
    expect(rows[0]).toEqual([
      'rank',
      'name',
      'website',
      'headquarters',
      'size',
      'industry',
      'score',
      'rationale',
      'sources',
    ]);
    expect(rows).toHaveLength(table.rows.length);
    rows.slice(1).forEach((row, i) => {
      const cells = table.rows[i + 1]!.map(cellText);
      expect(row[0]).toBe(cells[0]);
      expect(row[6]).toBe(cells[4]);
      if (i > 0) expect(row[1]).toBe(cells[1]);
    });
    expect(rows[1]![1]).toBe(`'=cmd|"/c calc"!A1, Inc.`);
    expect(rows[1]![7]).toBe('Says "hello", then\nleaves');
  });

  it('tells the user in plain words when the upload fails', async () => {
    const { runId, t } = await finishedRun();
    t.fake.failWith('files.getUploadURLExternal', 'not_allowed_token_type');
    await t.button('leads_export_csv', runId);
    await t.slack.idle();
    expect(String(t.fake.callsTo('chat.postEphemeral')[0]!.args.text)).toContain(
      'I couldn’t upload the CSV (Slack said: not_allowed_token_type)',
    );
  });
});

describe('buttons naming runs they should not reach', () => {
  it.each([
    ['another channel', { channelId: 'C0002' }, 'RUN'],
    ['a made-up run id', {}, 'run_doesnotexist'],
    ['a malformed run id', {}, '../../T0001:run:x'],
  ])('refuses a button from %s and does nothing', async (_label, who, value) => {
    const { runId, t } = await finishedRun();
    const target = value === 'RUN' ? runId : value;
    const before = t.fake.calls.length;
    await t.button('leads_export_csv', target, who);
    await t.button('leads_rescore', target, who);
    await t.slack.idle();
    const after = t.fake.calls.slice(before).map((c) => c.method);
    expect(after).toEqual(['chat.postEphemeral', 'chat.postEphemeral']);
    expect(t.fake.uploads).toHaveLength(0);
    const texts = t.fake.callsTo('chat.postEphemeral').map((c) => String(c.args.text));
    expect(texts.every((text) => /another conversation|no longer available|does not point/.test(text))).toBe(true);
  });

  it("ignores a button from a workspace other than the bot token's: no upload, no run, no message", async () => {
    const { runId, t } = await finishedRun();
    const before = t.fake.calls.length;
    await t.button('leads_export_csv', runId, { teamId: 'T0002' });
    await t.button('leads_rescore', runId, { teamId: 'T0002' });
    await t.slack.idle();
    expect(t.fake.calls.slice(before)).toEqual([]);
    expect(t.fake.uploads).toHaveLength(0);
  });
});

describe('Re-score button', () => {
  it('answers "already running" with a link to the thread, and opens no form, while the same user has a run in progress', async () => {
    const { orchestrator, runId, t } = await finishedRun();
    const release = orchestrator.hold();
    await t.command('find partners', { channelId: 'C0002' });
    await t.fake.waitFor(() => t.fake.callsTo('chat.getPermalink').length === 2, 5000, 'the second run’s thread');
    await t.button('leads_rescore', runId);
    await t.fake.waitFor(() => t.fake.callsTo('chat.postEphemeral').length === 1, 5000, 'the answer to the click');
    const answer = String(t.fake.callsTo('chat.postEphemeral')[0]!.args.text);
    const running = t.fake.messages.find((m) => m.channel === 'C0002' && !m.thread_ts)!;
    expect(answer).toContain('Your previous request is still running.');
    expect(answer).toContain(`<https://fake.slack.com/archives/C0002/p${running.ts.replace('.', '')}|its thread>`);
    expect(t.fake.callsTo('chat.postEphemeral')[0]!.args).toMatchObject({
      channel: 'C0001',
      user: 'U0001',
      thread_ts: threadOf(t.fake).parent!.ts,
    });
    expect(t.fake.callsTo('views.open')).toHaveLength(0);
    release();
    await t.slack.idle();
  });

  it('opens the modal for a run of this conversation, carrying only its id and channel', async () => {
    const { runId, t } = await finishedRun();
    await t.button('leads_rescore', runId);
    await t.slack.idle();
    const open = t.fake.callsTo('views.open')[0]!;
    expect(open.args.trigger_id).toMatch(/^trigger\.btn\./);
    const view = open.args.view as { callback_id: string; private_metadata: string; blocks: { type: string }[] };
    expect(view.callback_id).toBe('leads_rescore_modal');
    expect(JSON.parse(view.private_metadata)).toEqual({ runId, channelId: 'C0001' });
    expect(view.blocks.map((b) => b.type)).toEqual(['section', 'input']);
  });
});
