// Both runs queues behind the one JobQueue interface, held to the same promises: this process's own (no REDIS_URL)
// and BullMQ's `leads-runs` on a real redis-server. The app, a worker and their tests rely on exactly these.
import { describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createJobQueue } from '../../src/queue/create-queue.js';
import type { JobAttempt, JobQueue } from '../../src/queue/jobs.js';
import { closeRedis, connectRedis } from '../../src/store/redis.js';
import { dropRedisPrefix } from '../support/redis-server.js';
import { afterTest } from '../support/teardown.js';
import { uniqueRedisPrefix } from '../support/test-mode.js';

const redisUrl = inject('redisUrl');
const quiet = createLogger({ level: 'silent', scrub: (text) => text });
const payload = z.object({ n: z.number() });
type Payload = z.infer<typeof payload>;

function inProcess(): JobQueue<Payload> {
  const config = loadConfig({});
  const queue = createJobQueue({ config, schema: payload, logger: quiet });
  afterTest({ close: () => queue.close() });
  return queue;
}

function onRedis(): JobQueue<Payload> {
  const prefix = uniqueRedisPrefix();
  const config = loadConfig({ REDIS_URL: redisUrl, REDIS_PREFIX: prefix, JOB_STALL_MS: '2000' });
  const redis = connectRedis(redisUrl, { name: 'job-queues-test' });
  const queue = createJobQueue({ config, redis, schema: payload, logger: quiet });
  afterTest({
    close: async () => {
      await queue.close();
      await closeRedis(redis);
      await dropRedisPrefix(redisUrl, prefix);
    },
  });
  return queue;
}

const kinds: [string, () => JobQueue<Payload>, boolean][] = [
  ['in this process', inProcess, true],
  ['BullMQ on Redis', onRedis, Boolean(redisUrl)],
];

describe.each(kinds)('the runs queue %s', (_name, make, available) => {
  it.skipIf(!available)(
    'runs a job queued before its worker started once the worker starts, and a repeated id once',
    async () => {
      const queue = make();
      const seen: number[] = [];
      await queue.enqueue('job-1', { n: 1 });
      await queue.enqueue('job-1', { n: 1 });
      expect(await queue.isKnown('job-1')).toBe(true);
      expect(await queue.isKnown('job-never')).toBe(false);
      const worker = queue.startWorker(async (job) => {
        seen.push(job.n);
        return { ok: true };
      });
      afterTest({ close: () => worker.stop(1000) });
      await queue.enqueue('job-2', { n: 2 });
      await queue.idle(10_000);
      expect(seen.sort()).toEqual([1, 2]);
      expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, failed: 0 });
    },
  );

  it.skipIf(!available)(
    'keeps what a job notes in its ledger for its next start, and counts a job that reports a failure as failed',
    async () => {
      const queue = make();
      const attempts: JobAttempt[] = [];
      const worker = queue.startWorker(async (_job, attempt) => {
        attempts.push(attempt);
        await attempt.record('threadTs', '1700000000.000100');
        expect(attempt.ledger).toEqual({ threadTs: '1700000000.000100' });
        return { ok: false, reason: 'the model was unavailable' };
      });
      afterTest({ close: () => worker.stop(1000) });
      await queue.enqueue('job-fails', { n: 3 });
      await queue.idle(10_000);
      // A reported failure is final: not retried, whichever queue runs it.
      expect(attempts).toHaveLength(1);
      expect(attempts[0]!.jobId).toBe('job-fails');
      expect((await queue.counts()).failed).toBe(1);
    },
  );
});
