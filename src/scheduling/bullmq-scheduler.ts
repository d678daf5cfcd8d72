import { Queue } from 'bullmq';
import type { Schedule } from '../domain/schedule.js';
import type { Logger } from '../logger.js';
import { settleWithin, type RedisClient } from '../store/redis.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import { digestFiringJob, type DigestScheduler } from './types.js';

/** Every job scheduler this module owns on the queue has an id that starts so; others on the queue are left alone. */
const ID_PREFIX = 'digest-';
/** With Redis down, BullMQ's close would wait for it forever. */
const CLOSE_WAIT_MS = 3000;

export interface BullSchedulerDeps {
  redis: RedisClient;
  /** REDIS_PREFIX: the same on every instance and worker, so they all see one set of job schedulers. */
  prefix: string;
  /** The queue the firings go to (`leads-runs`): whichever worker takes a firing runs the digest. */
  queueName: string;
  store: ScheduleStore;
  logger: Logger;
}

/** The job scheduler's id for a schedule: one per schedule across every instance (ids may not contain ':'). */
export function jobSchedulerIdOf(schedule: Pick<Schedule, 'scope' | 'id'>): string {
  return `${ID_PREFIX}${schedule.scope}-${schedule.id}`;
}

/**
 * Schedules as BullMQ job schedulers in Redis (REDIS_URL mode). Redis, not any instance, keeps the time: at each
 * firing BullMQ puts exactly one job (id `repeat:<scheduler>:<time>`) on the runs queue, one worker takes it and runs
 * the digest, however many app instances there are. A schedule added or cancelled on any instance changes the job
 * scheduler at once, so every instance and worker agrees without a restart. `onFire` is not called: firings arrive
 * as jobs, through the same handler as runs.
 */
export function createBullScheduler(deps: BullSchedulerDeps): DigestScheduler {
  let queue: Queue | undefined;
  // Made on first use: a worker process builds the services too but never schedules anything.
  const queueOf = (): Queue => {
    if (!queue) {
      queue = new Queue(deps.queueName, { connection: deps.redis, prefix: `${deps.prefix}:bull` });
      queue.on('error', () => undefined);
    }
    return queue;
  };

  async function upsert(schedule: Schedule): Promise<void> {
    await queueOf().upsertJobScheduler(
      jobSchedulerIdOf(schedule),
      { pattern: schedule.cron, tz: schedule.timezone },
      {
        name: 'digest',
        data: digestFiringJob(schedule),
        // A digest that fails has told its thread already, so it is not retried. A worker that dies or shuts down
        // mid-digest hands it on: the job's ledger keeps its run, thread and progress message, so it resumes there.
        opts: {
          attempts: 1,
          removeOnComplete: { age: 24 * 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
        },
      },
    );
  }

  return {
    kind: 'bullmq',
    async start() {
      // Reconcile Redis with the stored schedules: add what is missing or changed, remove what no schedule backs
      // (cancelled while Redis was unreachable, say), so a restart neither loses nor doubles a digest.
      const stored = new Map((await deps.store.listAll()).map((schedule) => [jobSchedulerIdOf(schedule), schedule]));
      const existing = (await queueOf().getJobSchedulers(0, -1)).filter((s) => (s.id ?? s.key).startsWith(ID_PREFIX));
      let removed = 0;
      for (const scheduler of existing) {
        const id = scheduler.id ?? scheduler.key;
        const schedule = stored.get(id);
        if (!schedule) {
          await queueOf().removeJobScheduler(id);
          removed += 1;
        } else if (scheduler.pattern === schedule.cron && scheduler.tz === schedule.timezone) {
          stored.delete(id);
        }
      }
      for (const schedule of stored.values()) await upsert(schedule);
      deps.logger.info(
        { schedules: existing.length - removed + stored.size, added: stored.size, removed },
        'digest schedules reconciled with Redis',
      );
    },
    add: upsert,
    async remove(schedule) {
      // Removes the scheduler and its next, delayed job: no later firing.
      await queueOf().removeJobScheduler(jobSchedulerIdOf(schedule));
    },
    async stop() {
      if (queue) await settleWithin(queue.close(), CLOSE_WAIT_MS);
      queue = undefined;
    },
  };
}
