import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { createBullQueue, startBullWorker } from '../queue/bullmq-jobs.js';
import { RUNS_QUEUE, type JobHandler, type JobQueue, type JobWorker } from '../queue/jobs.js';
import { createBullScheduler } from '../scheduling/bullmq-scheduler.js';
import type { DigestScheduler } from '../scheduling/types.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import type { Scrubber } from '../secrets.js';
import type { RedisClient } from '../store/redis.js';
import { runJobSchema, type RunJob } from './input/run-job.js';
import { scrubDeep } from './io/poster.js';
import { createRedisRateGate, type SlackRateGate } from './io/rate-limit-gate.js';
import { createRedisActiveRuns, type ActiveRunRegistry } from './state/active-runs.js';
import { createRedisDedupe, type DeliveryDedupe } from './state/dedupe.js';

/**
 * What REDIS_URL mode shares between app instances and workers: delivery de-duplication, one run per person,
 * the Slack rate-limit gate and the `leads-runs` queue. The single-process mode uses in-memory versions of the
 * same interfaces, so the listeners and the job handler are one code path.
 */
export interface ScaleOut {
  redis: RedisClient;
  dedupe: DeliveryDedupe;
  active: ActiveRunRegistry;
  rateGate: SlackRateGate;
  queue: JobQueue<RunJob>;
  /** Starts taking jobs from the queue in this process (`npm run worker`, or the app with WORKERS=inline). */
  startWorker(handler: JobHandler<RunJob>, logger: Logger): JobWorker;
  /** Digests as BullMQ job schedulers on `leads-runs` (an app built without the services' scheduler uses it). */
  digestScheduler(store: ScheduleStore, logger: Logger): DigestScheduler;
  close(): Promise<void>;
}

/** Builds the shared pieces on one Redis connection (the queue and each worker open their own as BullMQ needs).
 * With `metrics`, the process exports the queue's job counts as leads_queue_jobs{state}, read at each scrape; with
 * `scrub`, a job's payload (the request someone typed, a re-score note) is stored in Redis without the app's secrets. */
export function createScaleOut(
  config: Pick<Config, 'jobs'> & { redis: { url: string; prefix: string } },
  redis: RedisClient,
  metrics?: Pick<Metrics, 'registerQueueGauge'>,
  scrub?: Scrubber,
): ScaleOut {
  const { prefix, url } = config.redis;
  const bull = createBullQueue<RunJob>(redis, { name: RUNS_QUEUE, prefix });
  const queue: JobQueue<RunJob> = scrub
    ? { ...bull, enqueue: (id, payload) => bull.enqueue(id, scrubDeep(payload, scrub)) }
    : bull;
  metrics?.registerQueueGauge(() => queue.counts());
  return {
    redis,
    dedupe: createRedisDedupe(redis, prefix),
    active: createRedisActiveRuns(redis, prefix),
    rateGate: createRedisRateGate(redis, prefix),
    queue,
    startWorker: (handler, logger) =>
      startBullWorker({
        redisUrl: url,
        name: RUNS_QUEUE,
        prefix,
        concurrency: config.jobs.concurrency,
        stallMs: config.jobs.stallMs,
        schema: runJobSchema,
        handler,
        logger,
      }),
    digestScheduler: (store, logger) => createBullScheduler({ redis, prefix, queueName: RUNS_QUEUE, store, logger }),
    close: () => queue.close(),
  };
}
