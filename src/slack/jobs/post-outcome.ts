import type { JobAttempt } from '../../queue/jobs.js';
import type { LineLogger } from '../../logger.js';
import type { JobDeps } from '../deps.js';

/**
 * Posts a job's outcome (its result, or why it failed) at most once, however many attempts or workers get this
 * far: the ledger remembers a posted outcome, and a Redis SET NX stops two workers racing on one job.
 */
export async function postOutcomeOnce(
  deps: Pick<JobDeps, 'dedupe'> & { logger: Pick<LineLogger, 'warn'> },
  attempt: JobAttempt,
  post: () => Promise<string | undefined>,
): Promise<void> {
  if (attempt.ledger.outcomeTs) return;
  const key = `outcome:${attempt.jobId}`;
  if (!(await deps.dedupe.firstDelivery(key))) {
    deps.logger.warn({ jobId: attempt.jobId }, 'the outcome of this job was already posted; not posting it again');
    return;
  }
  let ts: string | undefined;
  try {
    ts = await post();
  } catch (error) {
    // Not posted: a retry may post it.
    await deps.dedupe.forget(key).catch(() => undefined);
    throw error;
  }
  if (ts) await attempt.record('outcomeTs', ts).catch(() => undefined);
}
