import type { Logger } from '../logger.js';
import type { JobAttempt, JobCounts, JobHandler, JobQueue, JobWorker } from './jobs.js';

/** Job ids seen, so that enqueueing the same id twice runs it once (as BullMQ does with a job id). */
const REMEMBERED_IDS = 10_000;

/**
 * The single-process mode's queue: a job runs in this process as soon as it is enqueued (or, enqueued before a
 * worker started, as soon as one does), tracked until it ends. One attempt (a failure is final), and no hand-back on
 * shutdown, since no other worker could take the job; a run cut off by a restart is marked interrupted at the next
 * start instead.
 */
export function createInProcessQueue<T>(logger: Logger): JobQueue<T> {
  const running = new Set<Promise<void>>();
  const waiting: { id: string; payload: T }[] = [];
  const seen = new Set<string>();
  const never = new AbortController().signal;
  let handler: JobHandler<T> | undefined;
  let failed = 0;

  const run = (id: string, payload: T, work: JobHandler<T>) => {
    let ledger: Record<string, string> = {};
    const attempt: JobAttempt = {
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
    };
    const job: Promise<void> = work(payload, attempt)
      .then((outcome) => {
        if (!outcome.ok) failed += 1;
      })
      .catch((error: unknown) => {
        failed += 1;
        logger.error({ jobId: id, err: error instanceof Error ? error.message : String(error) }, 'job failed');
      })
      .finally(() => running.delete(job));
    running.add(job);
  };

  const idle = async (timeoutMs = Number.POSITIVE_INFINITY) => {
    const deadline = Date.now() + timeoutMs;
    while ((running.size > 0 || (handler && waiting.length > 0)) && Date.now() < deadline) {
      const left = deadline - Date.now();
      const timer = Number.isFinite(left)
        ? new Promise<void>((r) => setTimeout(r, left).unref())
        : new Promise<void>(() => undefined);
      await Promise.race([Promise.allSettled([...running]), timer]);
    }
  };

  const worker: JobWorker = {
    active: () => running.size,
    async stop(graceMs) {
      await idle(graceMs);
    },
  };

  return {
    async enqueue(id, payload) {
      if (seen.has(id)) return;
      seen.add(id);
      if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value as string);
      if (handler) run(id, payload, handler);
      else waiting.push({ id, payload });
    },
    async isKnown(id) {
      return seen.has(id);
    },
    async counts(): Promise<JobCounts> {
      return { waiting: waiting.length, active: running.size, delayed: 0, failed };
    },
    startWorker(work) {
      if (handler) throw new Error('this in-process queue already has its worker');
      handler = work;
      for (const job of waiting.splice(0)) run(job.id, job.payload, work);
      return worker;
    },
    idle,
    async close() {
      // Nothing to disconnect; the worker's stop() is what waits for running jobs.
    },
  };
}
