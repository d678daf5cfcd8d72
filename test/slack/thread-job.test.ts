// The job side on its own: the one job handler, called as a queue calls it, against the fake Slack. A job may be
// started again after its outcome was posted (its worker died before the queue heard it had finished); whatever the
// kind of job, the thread gets that outcome once.
import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { JobAttempt } from '../../src/queue/jobs.js';
import { createJobDeps } from '../../src/slack/jobs/job-deps.js';
import { createRunJobHandler } from '../../src/slack/jobs/run-job.js';
import type { RunJob } from '../../src/slack/input/run-job.js';
import { createActiveRuns } from '../../src/slack/state/active-runs.js';
import { createDeliveryDedupe } from '../../src/slack/state/dedupe.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { workspaceOn } from './support/manual-scheduler.js';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { TEST_SECRETS } from './support/slack-test-app.js';

/** The attempts a queue would make of one job: each start sees the ledger the earlier ones wrote. */
function attemptsOf(jobId: string) {
  let ledger: Record<string, string> = {};
  let starts = 0;
  return (): JobAttempt => ({
    jobId,
    attempt: 1,
    starts: ++starts,
    isLastAttempt: true,
    signal: new AbortController().signal,
    get ledger() {
      return ledger;
    },
    async record(key, value) {
      ledger = { ...ledger, [key]: value };
    },
  });
}

async function handlerFor(fake: FakeSlack, failWith: string) {
  const orchestrator = createScriptedOrchestrator({ failWith });
  const workspace = workspaceOn();
  const quiet = createLogger({ level: 'silent', scrub: (text) => text });
  const client = new webApi.WebClient(TEST_SECRETS.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  const deps = createJobDeps(
    { orchestrator, logger: quiet, companyName: 'AxleWave', scrub: (text) => text, workspace },
    { dedupe: createDeliveryDedupe(), active: createActiveRuns() },
    client,
    { progressIntervalMs: 10 },
  );
  return { handler: createRunJobHandler(deps), workspace };
}

const failures = (fake: FakeSlack) => fake.messages.filter((m) => m.text.includes('could not finish'));

describe('a thread job started again after its outcome was posted', () => {
  it('posts a digest’s failure once, in its one thread, and records the firing as failed', async () => {
    const fake = await startFakeSlack();
    const { handler, workspace } = await handlerFor(fake, 'The model is unavailable.');
    await workspace.schedules.add({
      id: 'sch1',
      scope: 'T0001',
      channelId: 'C0001',
      createdBy: 'U0001',
      createdAt: new Date().toISOString(),
      cadence: 'weekly',
      cron: '0 6 * * 1',
      timezone: 'UTC',
      request: 'find customers',
    });
    const job: RunJob = { kind: 'digest', teamId: 'T0001', scheduleId: 'sch1' };
    const next = attemptsOf('digest-T0001-sch1-1');
    expect(await handler(job, next())).toEqual({ ok: false, reason: 'The model is unavailable.' });
    expect(await handler(job, next())).toMatchObject({ ok: false });

    const parents = fake.messages.filter((m) => !m.thread_ts);
    expect(parents).toHaveLength(1);
    expect(failures(fake)).toHaveLength(1);
    expect(failures(fake)[0]!.thread_ts).toBe(parents[0]!.ts);
    expect(failures(fake)[0]!.text).toContain('This digest could not finish: The model is unavailable.');
    expect((await workspace.schedules.get('T0001', 'sch1'))?.lastRun?.status).toBe('failed');
  });

  it('posts a run’s failure once, with Run again, and lists the run as failed on App Home', async () => {
    const fake = await startFakeSlack();
    const { handler, workspace } = await handlerFor(fake, 'No search provider answered.');
    const job: RunJob = {
      kind: 'run',
      runId: 'run_twice',
      teamId: 'T0001',
      channelId: 'C0001',
      userId: 'U0001',
      text: 'find customers',
    };
    const next = attemptsOf('run-run_twice');
    await handler(job, next());
    await handler(job, next());

    expect(fake.messages.filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(failures(fake)).toHaveLength(1);
    expect(JSON.stringify(failures(fake)[0]!.blocks)).toContain('Run again');
    const [recent] = await workspace.recentRuns.list('T0001');
    expect(recent).toMatchObject({ runId: 'run_twice', status: 'failed', kind: 'request' });
  });
});
