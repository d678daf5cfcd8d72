import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { RedisClient } from '../store/redis.js';
import { createBullQueue } from './bullmq-jobs.js';
import { createInProcessQueue } from './in-process-jobs.js';
import { RUNS_QUEUE, type JobQueue } from './jobs.js';

/**
 * The runs queue, chosen once by the wiring: BullMQ's `leads-runs` on Redis when the process has a Redis connection
 * (REDIS_URL), shared by every app instance and worker, whose job counts it then exports as leads_queue_jobs{state};
 * else this process's own queue.
 */
export function createJobQueue<T>(options: {
  config: Pick<Config, 'jobs' | 'redis'>;
  redis?: RedisClient;
  /** Payloads taken from Redis are validated against it before a handler sees them. */
  schema: z.ZodType<T>;
  logger: Logger;
  metrics?: Pick<Metrics, 'registerQueueGauge'>;
}): JobQueue<T> {
  const { config, redis } = options;
  if (!redis || !config.redis) return createInProcessQueue<T>(options.logger);
  const queue = createBullQueue<T>({
    redis,
    redisUrl: config.redis.url,
    name: RUNS_QUEUE,
    prefix: config.redis.prefix,
    concurrency: config.jobs.concurrency,
    stallMs: config.jobs.stallMs,
    schema: options.schema,
    logger: options.logger,
  });
  options.metrics?.registerQueueGauge(() => queue.counts());
  return queue;
}
