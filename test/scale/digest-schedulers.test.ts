// Scheduled digests in REDIS_URL mode: two app instances and a worker (each its own process) on one real Redis.
// A schedule is a BullMQ job scheduler: Redis keeps its time, each firing is one job on leads-runs, one worker posts
// the digest. Firings are triggered by promoting the scheduler's next (delayed) job, as Redis would at its time.
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RUNS_QUEUE } from '../../src/queue/jobs.js';
import { jobSchedulerIdOf } from '../../src/scheduling/bullmq-scheduler.js';
import { connectRedis, type RedisClient } from '../../src/store/redis.js';
import { startAppProcess } from '../slack/support/app-process.js';
import { startCluster, until, type Cluster } from './support/cluster.js';

const redisUrl = inject('redisUrl');
const TEAM = 'T0001';

describe.skipIf(!redisUrl)('scheduled digests on BullMQ job schedulers', () => {
  let cluster: Cluster;
  let redis: RedisClient;
  let queue: Queue;
  let prefix: string;
  beforeAll(async () => {
    cluster = await startCluster({ redisUrl, apps: 2, workers: 1, env: { SCHEDULE_TIMEZONE: 'America/Chicago' } });
    prefix = cluster.env.REDIS_PREFIX!;
    redis = connectRedis(redisUrl, { name: 'test-digest-schedulers' });
    queue = new Queue(RUNS_QUEUE, { connection: redis, prefix: `${prefix}:bull` });
  }, 120_000);
  afterAll(async () => {
    await queue?.close();
    await redis?.quit();
  });

  const digestsIn = (channel: string) =>
    cluster.slack.messages.filter((m) => m.channel === channel && !m.thread_ts && /^Weekly digest:/.test(m.text ?? ''));
  const posted = (output: string) => (output.match(/"msg":"digest posted"/g) ?? []).length;
  const digestSchedulers = async () =>
    (await queue.getJobSchedulers(0, -1)).filter((s) => (s.id ?? s.key).startsWith('digest-'));
  /** The scheduler's next firing, a delayed job in Redis; promoting it fires it now. */
  const nextFiring = async (schedulerId: string) =>
    (await queue.getDelayed()).filter((job) => job.repeatJobKey === schedulerId);
  async function fire(schedulerId: string): Promise<void> {
    const [next, ...more] = await nextFiring(schedulerId);
    expect(more).toHaveLength(0);
    expect(next, 'the schedule has a next firing in Redis').toBeDefined();
    await next!.promote();
  }
  const known = new Set<string>();
  /** The id of the schedule just added: the digest job scheduler Redis did not hold before. */
  async function newScheduleId(): Promise<string> {
    const added = await until(
      async () => (await digestSchedulers()).find((s) => !known.has(s.key)),
      30_000,
      'a new job scheduler',
      cluster.output,
    );
    known.add(added.key);
    return (added.template?.data as { scheduleId: string }).scheduleId;
  }

  it('makes a schedule added on one instance a job scheduler in Redis; a firing posts one digest, from the worker; Cancel on the other instance stops it', async () => {
    const ack = await cluster.command(0, 'schedule weekly customers', {
      userId: 'U300',
      channelId: 'C300',
      triggerId: 'trig.sched.1',
    });
    expect(ack.status).toBe(200);
    const id = await newScheduleId();
    const schedulerId = jobSchedulerIdOf({ scope: TEAM, id });
    const [scheduler] = await digestSchedulers();
    // Weekly at 06:00 in SCHEDULE_TIMEZONE, kept by Redis: no instance holds a timer.
    expect(scheduler).toMatchObject({ key: schedulerId, pattern: '0 6 * * 1', tz: 'America/Chicago' });
    expect(await nextFiring(schedulerId)).toHaveLength(1);

    await fire(schedulerId);
    await until(() => posted(cluster.workers[0]!.output()) === 1, 60_000, 'the digest', cluster.output);
    // Long enough for a second digest, had any instance fired one too, to post its parent.
    await new Promise((r) => setTimeout(r, 1500));
    expect(digestsIn('C300')).toHaveLength(1);
    expect(cluster.apps.map((app) => posted(app.output()))).toEqual([0, 0]);
    // The firing scheduled the one after it (next week), and nothing else.
    const [next] = await nextFiring(schedulerId);
    expect(next!.opts.delay).toBeGreaterThan(24 * 3600_000);

    // Cancel, clicked on the other instance, removes the job scheduler and its next firing from Redis at once.
    const cancel = await cluster.button(1, 'leads_schedule_cancel', id, { userId: 'U300', channelId: 'C300' });
    expect(cancel.status).toBe(200);
    await until(async () => (await digestSchedulers()).length === 0, 10_000, 'the job scheduler to go', cluster.output);
    expect(await nextFiring(schedulerId)).toHaveLength(0);
    // Nothing of the scheduler is left in Redis: neither its entry nor its hash; what remains is the finished
    // firing's job, kept for a day like any finished run's.
    const base = `${prefix}:bull:${RUNS_QUEUE}`;
    expect(await redis.exists(`${base}:repeat`, `${base}:repeat:${schedulerId}`)).toBe(0);
    const left = await redis.keys(`${base}:repeat:${schedulerId}:*`);
    expect(left).toHaveLength(1);
    expect(await queue.getJobState(left[0]!.slice(`${base}:`.length))).toBe('completed');
    expect(digestsIn('C300')).toHaveLength(1);
  }, 120_000);

  it('keeps a schedule across restarts of every instance, and reconciles Redis with the stored schedules at start', async () => {
    await cluster.command(1, 'schedule weekly customers', {
      userId: 'U310',
      channelId: 'C310',
      triggerId: 'trig.sched.2',
    });
    const id = await newScheduleId();
    const schedulerId = jobSchedulerIdOf({ scope: TEAM, id });
    // Redis lost the scheduler (say it was flushed) and holds one no schedule backs (cancelled while it was away).
    await queue.removeJobScheduler(schedulerId);
    await queue.upsertJobScheduler(
      jobSchedulerIdOf({ scope: TEAM, id: 'sch_gone' }),
      { pattern: '0 7 * * *' },
      { name: 'digest', data: { kind: 'digest', teamId: TEAM, scheduleId: 'sch_gone' } },
    );

    for (const [i, app] of cluster.apps.entries()) {
      await app.kill('SIGTERM');
      cluster.apps[i] = await startAppProcess(cluster.env, 60_000);
    }
    const after = await digestSchedulers();
    expect(after.map((s) => s.key)).toEqual([schedulerId]);
    expect(await nextFiring(schedulerId)).toHaveLength(1);

    const before = posted(cluster.workers[0]!.output());
    await fire(schedulerId);
    await until(
      () => posted(cluster.workers[0]!.output()) === before + 1,
      60_000,
      'the digest after the restart',
      cluster.output,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(digestsIn('C310')).toHaveLength(1);
    expect(cluster.apps.map((app) => posted(app.output()))).toEqual([0, 0]);
  }, 180_000);
});
