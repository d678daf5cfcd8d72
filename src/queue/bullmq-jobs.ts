import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { closeRedis, connectRedis, settleWithin, type RedisClient } from '../store/redis.js';
import type { JobCounts, JobHandler, JobQueue, JobWorker } from './jobs.js';

/** A try that throws is retried this many times in all, with exponential backoff, before the job fails for good. */
const ATTEMPTS = 3;
const BACKOFF_MS = 2000;
/** Jobs that stalled (their worker died) go back to waiting this often at most; the handler decides before that. */
const MAX_STALLS = 50;
/** After the grace period, how long jobs get to hand themselves back before the worker's connections are dropped. */
const CLOSE_WAIT_MS = 3000;
/** The job's ledger lives in BullMQ's progress field: plain string notes. */
const ledgerSchema = z.record(z.string(), z.string());

export interface BullQueueOptions<T> {
  /** The connection the queue shares with the rest of the process (de-duplication, claims). */
  redis: RedisClient;
  /** Where a worker opens its own blocking connection. */
  redisUrl: string;
  name: string;
  prefix: string;
  /** Jobs one process runs at once (WORKER_CONCURRENCY). */
  concurrency: number;
  /** A job whose worker has not renewed its lock for this long is handed to another worker (JOB_STALL_MS). */
  stallMs: number;
  /** Job payloads come from Redis: each is validated before the handler sees it. */
  schema: z.ZodType<T>;
  logger: Logger;
}

/** A BullMQ queue on a shared connection; the same Redis key prefix on every process finds the same queue. */
export function createBullQueue<T>(options: BullQueueOptions<T>): JobQueue<T> {
  const queue = new Queue(options.name, { connection: options.redis, prefix: `${options.prefix}:bull` });
  // Errors surface on each call (enqueue, counts); without a listener they would also be printed.
  queue.on('error', () => undefined);
  const counts = async (): Promise<JobCounts> => {
    const found = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    return {
      waiting: (found.waiting ?? 0) + (found.prioritized ?? 0),
      active: found.active ?? 0,
      delayed: found.delayed ?? 0,
      failed: found.failed ?? 0,
    };
  };
  return {
    async enqueue(id, payload) {
      await queue.add(options.name, payload, {
        jobId: id,
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: BACKOFF_MS },
        removeOnComplete: { age: 24 * 3600, count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
      });
    },
    async isKnown(id) {
      return (await queue.getJobState(id)) !== 'unknown';
    },
    counts,
    startWorker: (handler) => startBullWorker({ ...options, handler }),
    async idle(timeoutMs = Number.POSITIVE_INFINITY) {
      // Until the shared queue has nothing waiting or running, whichever worker runs it; a Redis that does not
      // answer counts as busy until the deadline.
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const now = await Promise.race([
          counts().catch(() => undefined),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref()),
        ]);
        if (now && now.waiting + now.active + now.delayed === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      // With Redis down, BullMQ's close would wait for it forever.
      await settleWithin(queue.close(), CLOSE_WAIT_MS);
    },
  };
}

interface BullWorkerOptions<T> extends Omit<BullQueueOptions<T>, 'redis'> {
  handler: JobHandler<T>;
}

/** A BullMQ worker with its own blocking connection; a job whose handler reports a failure is not retried. */
function startBullWorker<T>(options: BullWorkerOptions<T>): JobWorker {
  const connection = connectRedis(options.redisUrl, { name: `leads-worker-${process.pid}`, waitForever: true });
  let handingBack = false;
  let running = 0;
  const log = options.logger.child({ component: 'worker', queue: options.name });

  async function processJob(job: Job, token?: string, signal?: AbortSignal): Promise<void> {
    const parsed = options.schema.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(
        `job ${job.id} does not fit the job schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    const attempts = job.opts.attempts ?? 1;
    const stop = signal ?? new AbortController().signal;
    const kept = ledgerSchema.safeParse(job.progress);
    let ledger: Record<string, string> = kept.success ? kept.data : {};
    running += 1;
    try {
      const outcome = await options.handler(parsed.data, {
        jobId: String(job.id),
        attempt: job.attemptsMade + 1,
        starts: job.attemptsStarted,
        isLastAttempt: job.attemptsMade + 1 >= attempts,
        signal: stop,
        get ledger() {
          return ledger;
        },
        async record(key, value) {
          ledger = { ...ledger, [key]: value };
          await job.updateProgress(ledger);
        },
      });
      // Reported to the user already; recorded as failed (for /healthz and metrics) and never retried.
      if (!outcome.ok) throw new UnrecoverableError(outcome.reason);
    } catch (error) {
      if (handingBack && stop.aborted && !(error instanceof UnrecoverableError)) {
        // Shutting down: the job goes back to waiting at once, for another worker to resume from its checkpoint.
        await job.moveToWait(token);
        log.info({ jobId: job.id }, 'handed a job back to the queue on shutdown');
        throw new WaitingError();
      }
      throw error;
    } finally {
      running -= 1;
    }
  }

  const worker = new Worker(options.name, processJob, {
    connection,
    prefix: `${options.prefix}:bull`,
    concurrency: options.concurrency,
    lockDuration: options.stallMs,
    stalledInterval: Math.max(500, Math.round(options.stallMs / 2)),
    maxStalledCount: MAX_STALLS,
  });
  worker.on('error', (error) => log.warn({ err: error.message }, 'queue worker error'));
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'a job stalled (its worker stopped); it goes back to the queue'));
  worker.on('failed', (job, error) => {
    if (job) log.warn({ jobId: job.id, attempt: job.attemptsMade, err: error.message }, 'job attempt failed');
  });
  return {
    active: () => running,
    async stop(graceMs) {
      const timer = setTimeout(() => {
        handingBack = true;
        worker.cancelAllJobs('shutting down');
      }, graceMs);
      try {
        // Jobs finish within the grace period, or hand themselves back just after it; a worker cut off from Redis
        // cannot do either, and is closed anyway (its jobs' locks lapse and another worker resumes them).
        await settleWithin(worker.close(), running > 0 ? graceMs + CLOSE_WAIT_MS : CLOSE_WAIT_MS);
        if (worker.isRunning()) await settleWithin(worker.close(true), CLOSE_WAIT_MS);
      } finally {
        clearTimeout(timer);
        await closeRedis(connection);
      }
    },
  };
}
