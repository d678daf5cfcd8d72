import { SharedStateError } from '../errors.js';
import type { StoredRun } from '../domain/types.js';
import { RunStore } from './run-store.js';

/**
 * The run store in Redis mode: a checkpoint that could not be written is a SharedStateError, so the job running
 * the run is retried (and resumes from the last checkpoint that was written) rather than failed for good.
 */
export class SharedRunStore extends RunStore {
  override async save(run: StoredRun): Promise<void> {
    try {
      await super.save(run);
    } catch (error) {
      throw new SharedStateError(
        `Could not store run ${run.runId} in Redis (${error instanceof Error ? error.message : String(error)}).`,
        { cause: error },
      );
    }
  }
}
