import { RunFailedError } from '../../domain/types.js';
import { SharedStateError } from '../../errors.js';
import type { JobAttempt } from '../../queue/jobs.js';

/** A job started this often (workers that died, attempts that failed) without finishing is given up. */
export const MAX_STARTS = 5;

/**
 * True when a job's error should go back to the queue rather than end the job (and its person's claim): the process
 * is shutting down (another worker resumes it), or trouble that a retry may cure (Redis, an unexpected error) with
 * attempts left. The pipeline's own verdicts (no results, the model unavailable after its retries) stand at once.
 */
export function handsBack(error: unknown, attempt: JobAttempt): boolean {
  if (attempt.signal.aborted) return true;
  return !attempt.isLastAttempt && worthRetrying(error);
}

function worthRetrying(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof SharedStateError) return true;
  }
  return !(error instanceof RunFailedError);
}
