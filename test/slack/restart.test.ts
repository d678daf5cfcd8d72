import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../../src/domain/types.js';
import { describeStage } from '../../src/slack/blocks/interrupted.js';
import { startFakeSlack, type FakeMessage } from '../fakes/fake-slack.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { startAppProcess } from './support/app-process.js';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { buttonBody, sendSigned, slashCommandBody } from './support/signed-requests.js';
import { startSlackTestApp, TEST_SECRETS } from './support/slack-test-app.js';
import { resultIn, threadOf } from './support/thread-shape.js';
import { REDIS_MODE } from '../support/test-mode.js';

const FORM = 'application/x-www-form-urlencoded';
const INTERRUPTED = /^This run was interrupted by a restart before it finished \(it had reached (.+)\)\.$/;

/** Polls an async condition until it holds, or fails naming what it waited for. */
async function until<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
  diagnose = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${diagnose().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function interruptedNotice(messages: FakeMessage[]): FakeMessage | undefined {
  return messages.find((m) => INTERRUPTED.test(m.text));
}

/** The result message (the one with a table) among messages; the interrupted notice has buttons but no table. */
function tableIn(messages: FakeMessage[]) {
  return messages.map((m) => resultIn([m])).find((shape) => shape?.table);
}

function buttonsOf(message: FakeMessage): { action_id: string; value: string; text: { text: string } }[] {
  const actions = (message.blocks as { type: string; elements?: unknown[] }[]).find((b) => b.type === 'actions');
  return (actions?.elements ?? []) as { action_id: string; value: string; text: { text: string } }[];
}

/** A Slack run a process left 'running' in the store, as if it had been killed. */
function cutOffRun(overrides: Partial<StoredRun> = {}): StoredRun {
  const at = new Date().toISOString();
  return {
    runId: 'run_cutoff_1',
    scope: 'T0001',
    origin: { kind: 'slack', teamId: 'T0001', channelId: 'C0001', userId: 'U0001', threadTs: '1699999999.000001' },
    request: 'find potential customers',
    status: 'running',
    stage: 'research',
    createdAt: at,
    updatedAt: at,
    stats: {
      llmCalls: 1,
      promptTokens: 100,
      outputTokens: 20,
      searches: 0,
      cacheHits: 0,
      durationMs: 0,
      stageMs: {},
      warnings: [],
    },
    top: 10,
    ...overrides,
  };
}

describe('restart in the middle of a run', () => {
  // Single process: the run died with its process, so the restarted app says so and offers Run again.
  it.skipIf(REDIS_MODE)(
    'tells the thread of a run killed mid-way that it was interrupted, and Run again completes it in the same thread',
    async () => {
      // Every LLM call takes 0.8 s, so the run is still working when the process is killed.
      const harness = await startPipelineHarness({
        cost: { baseMs: 800, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 8 },
      });
      const fake = await startFakeSlack();
      const slackFake = fake;
      const env = {
        ...harness.env,
        SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
        SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
        SLACK_API_URL: fake.apiUrl,
        LOG_LEVEL: 'info',
      };
      const runs = harness.services.runs;

      const first = await startAppProcess(env);
      const ack = await sendSigned(
        first.eventsUrl,
        slashCommandBody('find customers', { responseUrl: `${fake.url}/response/command` }),
        FORM,
        { secret: TEST_SECRETS.signingSecret },
      );
      expect(ack.status).toBe(200);
      const cutOff = await until(
        async () => (await runs.listUnfinished()).find((run) => run.stage === 'enrichment'),
        15_000,
        'the run to be stored as running, looking up companies',
        first.output,
      );
      const { parent, replies } = threadOf(slackFake);
      const progress = replies[0]!;
      expect(cutOff.origin).toEqual({
        kind: 'slack',
        teamId: 'T0001',
        channelId: 'C0001',
        userId: 'U0001',
        threadTs: parent!.ts,
        progressTs: progress.ts,
      });
      await first.kill('SIGKILL');
      const atKill = (await runs.get('T0001', cutOff.runId))!;
      expect(atKill.status).toBe('running');
      const postsBefore = slackFake.callsTo('chat.postMessage').length;

      const second = await startAppProcess(env);
      await slackFake.waitFor(
        () => interruptedNotice(threadOf(slackFake).replies) !== undefined,
        10_000,
        'the interrupted notice',
      );
      const notice = interruptedNotice(threadOf(slackFake).replies)!;
      expect(notice.thread_ts).toBe(parent!.ts);
      expect(INTERRUPTED.exec(notice.text)![1]).toBe(describeStage(atKill.stage));
      expect(buttonsOf(notice)).toEqual([
        expect.objectContaining({
          action_id: 'leads_run_again',
          value: cutOff.runId,
          text: expect.objectContaining({ text: 'Run again' }),
        }),
      ]);
      await slackFake.waitFor(
        () => progress.text.startsWith(':double_vertical_bar: Interrupted by a restart'),
        5000,
        'the progress message to show the interruption',
      );
      expect((await runs.get('T0001', cutOff.runId))!.status).toBe('interrupted');
      expect(slackFake.callsTo('chat.postMessage')).toHaveLength(postsBefore + 1);

      const click = await sendSigned(
        second.eventsUrl,
        buttonBody('leads_run_again', cutOff.runId, { responseUrl: `${slackFake.url}/response/action` }),
        FORM,
        { secret: TEST_SECRETS.signingSecret },
      );
      expect(click.status).toBe(200);
      await slackFake.waitFor(
        () => tableIn(threadOf(slackFake).replies) !== undefined,
        20_000,
        'the result table of the new run',
      );
      const thread = threadOf(slackFake);
      expect(slackFake.messages.filter((m) => !m.thread_ts)).toHaveLength(1);
      const result = tableIn(thread.replies)!;
      expect(result.message.thread_ts).toBe(parent!.ts);
      expect(result.table.rows).toHaveLength(11);
      const newRunId = result.buttons[0]!.value;
      expect(newRunId).not.toBe(cutOff.runId);
      expect(await runs.get('T0001', newRunId)).toMatchObject({
        status: 'succeeded',
        request: cutOff.request,
        origin: { kind: 'slack', threadTs: parent!.ts },
      });
      expect((await runs.get('T0001', cutOff.runId))!.status).toBe('interrupted');
      await second.kill('SIGTERM');
    },
    45_000,
  );

  // Redis mode: the run is a job; once its lock lapses the restarted app's worker resumes it from its checkpoint.
  it.runIf(REDIS_MODE)(
    'resumes a run killed mid-way in the restarted app, finishing it in the same thread and progress message',
    async () => {
      const harness = await startPipelineHarness({
        cost: { baseMs: 800, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 8 },
      });
      const fake = await startFakeSlack();
      const slackFake = fake;
      const env = {
        ...harness.env,
        SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
        SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
        SLACK_API_URL: fake.apiUrl,
        LOG_LEVEL: 'info',
        JOB_STALL_MS: '2000',
      };
      const runs = harness.services.runs;
      const first = await startAppProcess(env);
      const ack = await sendSigned(
        first.eventsUrl,
        slashCommandBody('find customers', { responseUrl: `${fake.url}/response/command` }),
        FORM,
        { secret: TEST_SECRETS.signingSecret },
      );
      expect(ack.status).toBe(200);
      const cutOff = await until(
        async () => (await runs.listUnfinished()).find((run) => run.stage === 'enrichment'),
        15_000,
        'the run to reach enrichment',
        first.output,
      );
      await first.kill('SIGKILL');
      const second = await startAppProcess(env);
      await slackFake.waitFor(
        () => tableIn(threadOf(slackFake).replies) !== undefined,
        30_000,
        'the resumed run’s result',
      );
      const { parent, replies } = threadOf(slackFake);
      expect(slackFake.messages.filter((m) => !m.thread_ts)).toHaveLength(1);
      expect(replies.map((m) => m.ts)).toHaveLength(2);
      expect(replies[0]!.text).toMatch(/^:white_check_mark: Finished in/);
      expect(interruptedNotice(replies)).toBeUndefined();
      expect(tableIn(replies)!.message.thread_ts).toBe(parent!.ts);
      expect((await runs.get('T0001', cutOff.runId))!.status).toBe('succeeded');
      await second.kill('SIGTERM');
    },
    60_000,
  );

  it('refuses Run again for a run of another workspace or channel and starts nothing', async () => {
    const orchestrator = createScriptedOrchestrator();
    orchestrator.stored.set('T0001:run_cutoff_1', cutOffRun());
    const t = await startSlackTestApp(orchestrator);
    await t.fake.waitFor(() => interruptedNotice(t.fake.messages) !== undefined, 5000, 'the interrupted notice');
    // One click at a time, each answer awaited before the next, so the outcome does not depend on reply order.
    // Another workspace is refused before any handler runs (it is not the bot token's): nothing is posted.
    await t.button('leads_run_again', 'run_cutoff_1', { teamId: 'T0002' });
    await t.slack.idle();
    expect(t.fake.callsTo('chat.postEphemeral')).toHaveLength(0);
    // Another channel is told why.
    await t.button('leads_run_again', 'run_cutoff_1', { channelId: 'C0002' });
    await t.fake.waitFor(
      () => t.fake.callsTo('chat.postEphemeral').length === 1,
      5000,
      'the refusal for another channel',
    );
    await t.slack.idle();
    expect(orchestrator.runs).toHaveLength(0);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(1);
    const refusals = t.fake.callsTo('chat.postEphemeral').map((c) => String(c.args.text));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain('belongs to another conversation');
  });

  it('runs the request again in its thread when the same workspace clicks Run again', async () => {
    const orchestrator = createScriptedOrchestrator();
    orchestrator.stored.set('T0001:run_cutoff_1', cutOffRun());
    const t = await startSlackTestApp(orchestrator);
    await t.fake.waitFor(() => interruptedNotice(t.fake.messages) !== undefined, 5000, 'the interrupted notice');
    await t.button('leads_run_again', 'run_cutoff_1', { userId: 'U0002' });
    await t.fake.waitFor(() => orchestrator.runs.length === 1, 5000, 'the new run');
    await t.slack.idle();
    expect(orchestrator.runs[0]).toMatchObject({
      text: 'find potential customers',
      scope: 'T0001',
      origin: { kind: 'slack', teamId: 'T0001', channelId: 'C0001', userId: 'U0002', threadTs: '1699999999.000001' },
    });
    expect(orchestrator.runs[0]!.runId).not.toBe('run_cutoff_1');
    const result = tableIn(t.fake.messages)!;
    expect(result.message.thread_ts).toBe('1699999999.000001');
    expect(result.table.rows).toHaveLength(11);
  });

  it('starts up and marks the run interrupted even when Slack refuses the notice', async () => {
    const orchestrator = createScriptedOrchestrator();
    orchestrator.stored.set(
      'T0001:run_cutoff_1',
      cutOffRun({
        origin: {
          kind: 'slack',
          teamId: 'T0001',
          channelId: 'C0001',
          userId: 'U0001',
          threadTs: '1699999999.000001',
          progressTs: '1699999999.000002',
        },
      }),
    );
    const t = await startSlackTestApp(orchestrator);
    t.fake.failWith('chat.postMessage', 'channel_not_found');
    t.fake.failWith('chat.update', 'message_not_found');
    await t.fake.waitFor(() => t.fake.callsTo('chat.update').length === 1, 5000, 'the progress update attempt');
    await t.slack.idle();
    expect(orchestrator.stored.get('T0001:run_cutoff_1')!.status).toBe('interrupted');
    expect(t.logs()).toContain('could not tell a thread its run was interrupted');
    expect((await t.command('find customers')).status).toBe(200);
    await t.fake.waitFor(() => orchestrator.runs.length === 1, 5000, 'a new run after start-up');
    await t.slack.idle();
  });

  it('marks CLI and bench runs left running as interrupted at start-up without any Slack call, once', async () => {
    const harness = await startPipelineHarness();
    const { runs, orchestrator } = harness.services;
    await runs.save(cutOffRun({ runId: 'run_cli_1', scope: 'cli', origin: { kind: 'cli' } }));
    await runs.save(cutOffRun({ runId: 'run_bench_1', scope: 'bench', origin: { kind: 'bench' } }));
    const t = await startSlackTestApp(orchestrator);
    await t.slack.idle();
    expect((await runs.get('cli', 'run_cli_1'))!.status).toBe('interrupted');
    expect((await runs.get('bench', 'run_bench_1'))!.status).toBe('interrupted');
    expect(await runs.listUnfinished()).toEqual([]);
    expect(t.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });
});
