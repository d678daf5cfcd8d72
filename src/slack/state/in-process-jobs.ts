import type { Logger } from '../../logger.js';
import type { JobCounts, JobHandler, JobQueue, JobWorker } from '../../queue/jobs.js';

/** The single-process mode's queue: a job runs in this process as soon as it is enqueued, tracked until it ends. */
export interface InProcessJobs<T> extends JobQueue<T>, JobWorker {
  /** Resolves once no job is running (or after `timeoutMs`). */
  idle(timeoutMs?: number): Promise<void>;
}

/** Job ids seen, so that enqueueing the same id twice runs it once (as BullMQ does with a job id). */
const REMEMBERED_IDS = 10_000;

/**
 * Runs each job once, here and now: one attempt (a failure is final), and no hand-back on shutdown, since no other
 * worker could take the job; a run cut off by a restart is marked interrupted at the next start instead.
 */
export function createInProcessJobs<T>(handler: JobHandler<T>, logger: Logger): InProcessJobs<T> {
  const running = new Set<Promise<void>>();
  const seen = new Set<string>();
  const never = new AbortController().signal;
  let failed = 0;
  const idle = async (timeoutMs = Number.POSITIVE_INFINITY) => {
    const deadline = Date.now() + timeoutMs;
    while (running.size > 0 && Date.now() < deadline) {
      const left = deadline - Date.now();
      const timer = Number.isFinite(left)
        ? new Promise<void>((r) => setTimeout(r, left).unref())
        : new Promise<void>(() => undefined);
      await Promise.race([Promise.allSettled([...running]), timer]);
    }
  };
  return {
    async enqueue(id, payload) {
      if (seen.has(id)) return;
      seen.add(id);
      if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value as string);
      let ledger: Record<string, string> = {};
      const job: Promise<void> = handler(payload, {
        jobId: id,
        attempt: 1,
        starts: 1,
        isLastAttempt: true,
        signal: never,
        get ledger() {
          return ledger;
        },
        async record(key, value) {
          ledger = { ...ledger, [key]: value };
        },
      })
        .then((outcome) => {
          if (!outcome.ok) failed += 1;
        })
        .catch((error: unknown) => {
          failed += 1;
          logger.error({ jobId: id, err: error instanceof Error ? error.message : String(error) }, 'job failed');
        })
        .finally(() => running.delete(job));
      running.add(job);
    },
    async isKnown(id) {
      return seen.has(id);
    },
    async counts(): Promise<JobCounts> {
      return { waiting: 0, active: running.size, delayed: 0, failed };
    },
    active: () => running.size,
    idle,
    async stop(graceMs) {
      await idle(graceMs);
    },
    async close() {
      // Nothing to disconnect; stop() is what waits for running jobs.
    },
  };
}
