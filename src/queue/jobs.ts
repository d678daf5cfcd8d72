// Runs as jobs: the front end puts a job on a queue, a worker takes it. Two implementations behind one interface:
// in this process (no REDIS_URL, `in-process-jobs.ts`) and BullMQ on Redis (the `leads-runs` queue, shared by every
// instance and worker, `bullmq-jobs.ts`); `create-queue.ts` picks one.

/** The queue every run and re-score goes through in Redis mode. */
export const RUNS_QUEUE = 'leads-runs';

/** Jobs by state, as /healthz and metrics report them. */
export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/**
 * Where front ends put work, and how a process takes it: one interface for both implementations (`createJobQueue`
 * picks one), so the app, a worker and their tests use the same calls whichever runs the jobs.
 */
export interface JobQueue<T> {
  /** Adds a job; a second job with the same id while the first is known is ignored. */
  enqueue(id: string, payload: T): Promise<void>;
  /** True while the queue holds the job: waiting, running, delayed, or kept for a while after it ended. */
  isKnown(id: string): Promise<boolean>;
  counts(): Promise<JobCounts>;
  /** Starts taking jobs in this process (the app with WORKERS=inline, `npm run worker`); once per queue. */
  startWorker(handler: JobHandler<T>): JobWorker;
  /** Resolves once no job is waiting or running, whichever process runs it (or after `timeoutMs`). */
  idle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** What a job's handler is told about this attempt. */
export interface JobAttempt {
  jobId: string;
  /** 1 on the first try; a try that failed with an error counts, a worker that died does not. */
  attempt: number;
  /** How many times a worker has started this job, including this one (a worker that died counts). */
  starts: number;
  /** True when no retry follows if this try throws. */
  isLastAttempt: boolean;
  /** Aborted when this process shuts down and its grace period is over: stop; the job is handed back. */
  signal: AbortSignal;
  /** Notes the job kept across attempts and workers, such as the ts of each message it has already posted. */
  ledger: Readonly<Record<string, string>>;
  /** Adds a note to the ledger; it is stored with the job before this resolves. */
  record(key: string, value: string): Promise<void>;
}

/** How a handled job ended; a handler throws only for a failure that a retry may cure. */
export type JobOutcome = { ok: true } | { ok: false; reason: string };

export type JobHandler<T> = (payload: T, attempt: JobAttempt) => Promise<JobOutcome>;

/** Takes jobs and runs their handler. */
export interface JobWorker {
  /** Stops taking jobs; waits up to `graceMs` for jobs in hand, then aborts them and hands them back to the queue. */
  stop(graceMs: number): Promise<void>;
  /** Jobs this worker is running now. */
  active(): number;
}
