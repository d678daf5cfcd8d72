import { describeError, RunAbortedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ProgressEvent, StoredRun } from '../domain/types.js';
import type { PipelineStage, StageContext } from './stages.js';

export interface StageLoopOptions {
  /** Stores the run after each stage, so a failure or a restart finds the work done so far. */
  checkpoint(run: StoredRun): Promise<void>;
  logger: Logger;
  /** Cancels the run between stages (the stages' own work listens on the agents' signal). */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * Runs the stages in order: skips those a stored run already finished, applies each stage's patch, stores a
 * checkpoint after it and reports progress. The run passed in is never mutated; the finished run is returned.
 */
export async function runStages(
  start: StoredRun,
  stages: readonly PipelineStage[],
  ctx: Omit<StageContext, 'progress'>,
  options: StageLoopOptions,
): Promise<StoredRun> {
  let run = start;
  for (const stage of stages) {
    if (stage.isDone(run)) continue;
    if (options.signal?.aborted) throw new RunAbortedError('The run was cancelled.');
    run = { ...run, stage: stage.name };
    const patch = await stage.run(run, { ...ctx, progress: reporter(run, options) });
    run = { ...run, ...patch };
    await options.checkpoint(run);
  }
  return run;
}

/** Progress for one stage: logged, and passed to the front end; a listener that throws never breaks the run. */
export function reporter(run: Pick<StoredRun, 'runId' | 'scope' | 'stage'>, options: Pick<StageLoopOptions, 'logger' | 'onProgress'>) {
  return (done: number, total: number, message: string, stage = run.stage): void => {
    options.logger.debug({ runId: run.runId, scope: run.scope, stage, done, total }, message);
    try {
      options.onProgress?.({ runId: run.runId, stage, done, total, message });
    } catch (error) {
      options.logger.warn({ runId: run.runId, err: describeError(error) }, 'progress listener failed');
    }
  };
}
