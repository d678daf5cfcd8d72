import type { Metrics } from '../metrics/metrics.js';
import { createJobQueue } from '../queue/create-queue.js';
import type { JobQueue } from '../queue/jobs.js';
import type { Services } from '../services.js';
import { runJobSchema, type RunJob } from './input/run-job.js';
import { createMemoryRateGate, createRedisRateGate, type SlackRateGate } from './io/rate-limit-gate.js';
import { createActiveRuns, createRedisActiveRuns, type ActiveRunRegistry } from './state/active-runs.js';
import { createDeliveryDedupe, createRedisDedupe, type DeliveryDedupe } from './state/dedupe.js';

/**
 * What app instances and workers share, chosen once from the services: with REDIS_URL, delivery de-duplication, one
 * run per person, the Slack rate-limit gate and the `leads-runs` queue live in Redis; without it, in this process.
 * Either way they are the same interfaces, so the listeners and the job handler are one code path.
 */
export interface SharedParts {
  dedupe: DeliveryDedupe;
  active: ActiveRunRegistry;
  rateGate: SlackRateGate;
  /** Where runs, re-scores and digest firings go. */
  jobs: JobQueue<RunJob>;
  /** True when Redis backs them, so other processes see the same state. */
  inRedis: boolean;
  close(): Promise<void>;
}

/** Builds the shared parts on the services' Redis connection when there is one (the queue and each worker open
 * their own as BullMQ needs); the queue's job counts are then exported through `metrics`. */
export function createSharedParts(
  services: Pick<Services, 'config' | 'redis' | 'logger'>,
  metrics?: Pick<Metrics, 'registerQueueGauge'>,
): SharedParts {
  const { config, redis, logger } = services;
  const jobs = createJobQueue<RunJob>({ config, redis, schema: runJobSchema, logger, ...(metrics ? { metrics } : {}) });
  if (!redis || !config.redis)
    return {
      dedupe: createDeliveryDedupe(),
      active: createActiveRuns(),
      rateGate: createMemoryRateGate(),
      jobs,
      inRedis: false,
      close: () => jobs.close(),
    };
  const { prefix } = config.redis;
  return {
    dedupe: createRedisDedupe(redis, prefix),
    active: createRedisActiveRuns(redis, prefix),
    rateGate: createRedisRateGate(redis, prefix),
    jobs,
    inRedis: true,
    close: () => jobs.close(),
  };
}
