// Durable runs: a run is a job whose checkpoints live in Redis. A worker killed mid-run, or stopped with SIGTERM,
// loses nothing but the stage it was in: another worker resumes the run, in the same thread and progress message,
// and the thread gets exactly one result. A run that fails for good says why, with Run again.
import { Queue } from 'bullmq';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { StoredRun } from '../../src/domain/types.js';
import { RUNS_QUEUE } from '../../src/queue/jobs.js';
import { connectRedis } from '../../src/store/redis.js';
import type { FakeMessage } from '../fakes/fake-slack.js';
import { questionKind } from '../fakes/prompt-structure.js';
import { resultTables, startCluster, threadIn, until, type Cluster } from './support/cluster.js';

const redisUrl = inject('redisUrl');
const HQ_QUERY = / headquarters website$/;

function buttonsOf(message: FakeMessage): { action_id: string; value: string; text: { text: string } }[] {
  const actions = (message.blocks as { type: string; elements?: unknown[] }[]).find((b) => b.type === 'actions');
  return (actions?.elements ?? []) as { action_id: string; value: string; text: { text: string } }[];
}

describe.skipIf(!redisUrl)('durable runs on workers', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    // Slow enough to catch a run mid-stage: each model call 300 ms, each search 200 ms.
    cluster = await startCluster({
      redisUrl,
      apps: 1,
      workers: 2,
      cost: { baseMs: 300, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 8 },
      searchLatencyMs: 200,
      env: { JOB_STALL_MS: '2000', SHUTDOWN_GRACE_MS: '300' },
    });
  }, 120_000);

  /** The run of `text` once the store has it, with the worker process running it. */
  async function runOf(text: string, ready: (run: StoredRun) => boolean, what: string) {
    const run = await until(
      async () => (await cluster.harness.services.runs.listUnfinished()).find((r) => r.request === text && ready(r)),
      30_000,
      what,
      cluster.output,
    );
    const worker = await until(
      () => cluster.workers.find((w) => w.output().includes(run.runId)),
      5000,
      'the worker running it',
      cluster.output,
    );
    return { run, worker };
  }

  it('resumes on the other worker from its checkpoint when its worker is SIGKILLed during enrichment, with one result in the same thread', async () => {
    expect((await cluster.command(0, 'find customers', { userId: 'U300', channelId: 'C300' })).status).toBe(200);
    const text = 'find potential customers';
    // Research is checkpointed (candidates stored) and company look-ups have begun, but enrichment is not stored.
    const { run, worker } = await runOf(
      text,
      (r) =>
        r.candidates !== undefined &&
        r.enrichment === undefined &&
        cluster.harness.tavily.queries.some((q) => HQ_QUERY.test(q)),
      'enrichment in progress',
    );
    const progressBefore = threadIn(cluster.slack, 'C300').replies[0]!;
    expect(cluster.harness.ollama.calls.some((c) => questionKind(c.format) === 'extraction')).toBe(true);
    const researchQueries = cluster.harness.tavily.queries.filter((q) => !HQ_QUERY.test(q));
    await worker.kill('SIGKILL');
    const killedAt = Date.now();

    await until(
      () => resultTables(threadIn(cluster.slack, 'C300').replies).length > 0,
      60_000,
      'the resumed run’s result',
      cluster.output,
    );
    const { parents, replies } = threadIn(cluster.slack, 'C300');
    expect(parents).toHaveLength(1);
    // The same progress message, carried on by the other worker to its summary; then exactly one result.
    expect(replies).toHaveLength(2);
    expect(replies[0]!.ts).toBe(progressBefore.ts);
    expect(replies[0]!.history.some((h) => h.at > killedAt)).toBe(true);
    expect(replies[0]!.text).toMatch(/^:white_check_mark: Finished in/);
    expect(resultTables(replies)).toHaveLength(1);
    // Finished stages were not repeated: no research query searched again, no intent, query or extraction call.
    const researchAfter = cluster.harness.tavily.queries.filter((q) => !HQ_QUERY.test(q));
    expect(researchAfter).toEqual(researchQueries);
    const repeated = cluster.harness.ollama.calls.filter(
      (c) => c.receivedAt > killedAt && ['intent', 'queries', 'extraction'].includes(questionKind(c.format)),
    );
    expect(repeated).toEqual([]);
    const survivor = cluster.workers.find((w) => w !== worker)!;
    // Its lines carry the run's id, team and stage, as an in-process run's do.
    expect(survivor.output()).toMatch(
      new RegExp(
        `"runId":"${run.runId}","team":"T0001","stage":"research".*"msg":"resuming a run from its last checkpoint"`,
      ),
    );
    expect(await cluster.harness.services.runs.get('T0001', run.runId)).toMatchObject({
      status: 'succeeded',
      leads: expect.any(Array),
    });
    cluster.workers.splice(cluster.workers.indexOf(worker), 1);
    await cluster.addWorker();
  }, 90_000);

  it('hands its job back on SIGTERM within SHUTDOWN_GRACE_MS; the other worker finishes it in the same thread, once', async () => {
    expect(
      (await cluster.command(0, 'dealer groups in Ohio that just bought stores', { userId: 'U301', channelId: 'C301' }))
        .status,
    ).toBe(200);
    const { run, worker } = await runOf(
      'dealer groups in Ohio that just bought stores',
      (r) => r.intent !== undefined,
      'the run under way',
    );
    const progressBefore = threadIn(cluster.slack, 'C301').replies[0]!;
    const signalledAt = Date.now();
    const code = await worker.kill('SIGTERM');
    // A clean exit soon after the grace period, with the job back on the queue rather than waiting out a lock.
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    expect(worker.output()).toContain('handed a job back to the queue on shutdown');

    await until(
      () => resultTables(threadIn(cluster.slack, 'C301').replies).length > 0,
      60_000,
      'the result after hand-back',
      cluster.output,
    );
    const { parents, replies } = threadIn(cluster.slack, 'C301');
    expect(parents).toHaveLength(1);
    expect(replies).toHaveLength(2);
    expect(replies[0]!.ts).toBe(progressBefore.ts);
    expect(resultTables(replies)).toHaveLength(1);
    expect(await cluster.harness.services.runs.get('T0001', run.runId)).toMatchObject({ status: 'succeeded' });
    cluster.workers.splice(cluster.workers.indexOf(worker), 1);
    await cluster.addWorker();
  }, 90_000);

  it('resumes a scheduled digest whose worker is SIGKILLed mid-run: one digest, in the same thread and progress message', async () => {
    expect(
      (
        await cluster.command(0, 'schedule weekly customers dealer groups in Kansas adding stores', {
          userId: 'U303',
          channelId: 'C303',
          triggerId: 'trig.digest.kill',
        })
      ).status,
    ).toBe(200);
    const redis = connectRedis(redisUrl!, { name: 'test-durable-digest' });
    const queue = new Queue(RUNS_QUEUE, { connection: redis, prefix: `${cluster.env.REDIS_PREFIX!}:bull` });
    try {
      // The digest's first model call hangs for 8 s, so the kill surely lands mid-run (caches from the earlier
      // tests would otherwise let it finish at once).
      cluster.harness.ollama.enqueue({ delayMs: 8000 });
      // Fire the schedule now, as Redis would at its time: promote its next (delayed) firing.
      const firing = await until(
        async () => (await queue.getDelayed()).find((job) => job.name === 'digest'),
        30_000,
        'the digest firing',
        cluster.output,
      );
      await firing.promote();
      const digests = () =>
        cluster.slack.messages.filter(
          (m) => m.channel === 'C303' && !m.thread_ts && /^Weekly digest:/.test(m.text ?? ''),
        );
      const inC303 = (r: StoredRun) => r.origin.kind === 'slack' && r.origin.channelId === 'C303';
      const started = await until(
        async () => (await cluster.harness.services.runs.listUnfinished()).find(inC303),
        30_000,
        'the digest run',
        cluster.output,
      );
      const { run, worker } = await runOf(started.request, inC303, 'the digest run under way');
      await until(
        () => threadIn(cluster.slack, 'C303').replies[0],
        10_000,
        'the digest progress message',
        cluster.output,
      );
      const progressBefore = threadIn(cluster.slack, 'C303').replies[0]!;
      await worker.kill('SIGKILL');

      const survivor = cluster.workers.find((w) => w !== worker)!;
      await until(
        () => survivor.output().includes('"msg":"digest posted"'),
        60_000,
        'the resumed digest',
        cluster.output,
      );
      // One digest in the channel; its thread holds the same progress message, finished, and one result.
      expect(digests()).toHaveLength(1);
      const { replies } = threadIn(cluster.slack, 'C303');
      expect(replies[0]!.ts).toBe(progressBefore.ts);
      expect(replies[0]!.text).toMatch(/^:white_check_mark: Finished in/);
      expect(resultTables(replies)).toHaveLength(1);
      expect(replies).toHaveLength(2);
      expect(survivor.output()).toContain('resuming a digest from its last checkpoint');
      expect(await cluster.harness.services.runs.get('T0001', run.runId)).toMatchObject({ status: 'succeeded' });
      cluster.workers.splice(cluster.workers.indexOf(worker), 1);
      await cluster.addWorker();
    } finally {
      await queue.close();
      await redis.quit();
    }
  }, 120_000);

  it('ends a run that fails for good in its thread with the reason and Run again, once; Run again then finishes there', async () => {
    // The model answers 500 to every attempt of the run's first call: the run cannot go on.
    cluster.harness.ollama.enqueue(
      ...Array.from({ length: 3 }, () => ({ status: 500, error: 'model runner crashed' })),
    );
    expect((await cluster.command(0, 'RV dealer groups in Utah', { userId: 'U302', channelId: 'C302' })).status).toBe(
      200,
    );
    const failure = await until(
      () => threadIn(cluster.slack, 'C302').replies.find((m) => m.text.startsWith(':warning:')),
      60_000,
      'the failure message',
      cluster.output,
    );
    expect(failure.text).toMatch(/could not finish: .*(language model|LLM|Ollama)/i);
    const [runAgain] = buttonsOf(failure);
    expect(runAgain).toMatchObject({ action_id: 'leads_run_again', text: { text: 'Run again' } });
    await new Promise((r) => setTimeout(r, 1000));
    const { replies } = threadIn(cluster.slack, 'C302');
    expect(replies.filter((m) => m.text.startsWith(':warning:'))).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/^:x: Failed/);
    const health = (await (await fetch(`${cluster.apps[0]!.baseUrl}/healthz`)).json()) as { queue: { failed: number } };
    expect(health.queue.failed).toBeGreaterThanOrEqual(1);

    expect(
      (await cluster.button(0, 'leads_run_again', runAgain!.value, { userId: 'U302', channelId: 'C302' })).status,
    ).toBe(200);
    await until(
      () => resultTables(threadIn(cluster.slack, 'C302').replies).length > 0,
      60_000,
      'the result of Run again',
      cluster.output,
    );
    expect(threadIn(cluster.slack, 'C302').parents).toHaveLength(1);
  }, 90_000);

  it('loses no acked request when the app gets SIGTERM in the middle of a burst: it finishes its acks and queueing, then exits 0', async () => {
    const app = cluster.apps[0]!;
    const who = (i: number) => ({ userId: `U31${i}`, channelId: `C31${i}`, triggerId: `trig.burst.${i}` });
    const sent = Array.from({ length: 6 }, (_, i) =>
      cluster.command(0, 'find partners', who(i)).catch(() => undefined),
    );
    await new Promise((r) => setTimeout(r, 30));
    const exit = app.kill('SIGTERM');
    const acks = await Promise.all(sent);
    expect(await exit).toBe(0);
    expect(app.output()).toContain('shutting down: no new requests');
    const acked = acks.flatMap((ack, i) => (ack?.status === 200 ? [who(i).channelId] : []));
    expect(acked.length).toBeGreaterThan(0);
    // Every request the app acknowledged still gets its run, from the workers, in its own thread.
    for (const channel of acked) {
      await until(
        () => resultTables(threadIn(cluster.slack, channel).replies).length === 1,
        60_000,
        `the result in ${channel}`,
        cluster.output,
      );
      expect(threadIn(cluster.slack, channel).parents).toHaveLength(1);
    }
    // The stopped app answers nothing more.
    await expect(fetch(`${app.baseUrl}/healthz`)).rejects.toThrow();
  }, 90_000);
});
