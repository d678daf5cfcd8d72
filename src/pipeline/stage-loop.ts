import { recordStageTime } from '../domain/run-stats.js';
import { describeError, RunAbortedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { ProgressEvent, StoredRun } from '../domain/types.js';
import type { PipelineStage, RunPatch, StageContext } from './stages.js';

export interface StageLoopOptions {
  /** Stores the run after each stage, so a failure or a restart finds the work done so far. */
  checkpoint(run: StoredRun): Promise<void>;
  /** The run's logger (its id, and its team in Slack, bound); each stage logs through a child that adds the stage. */
  logger: Logger;
  /** Cancels the run between stages (the stages' own work listens on the agents' signal). */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Where each stage's wall time goes besides the run's stats (leads_stage_duration_seconds). */
  metrics?: Pick<Metrics, 'stageTimed'>;
}

/**
 * Runs the stages in order: skips those a stored run already finished, applies each stage's patch, stores a
 * checkpoint after it and reports progress. Each stage's wall time, finished or failed, goes into the run's stats
 * (`stageMs`, in place like the meter's counts) and the metrics. The run passed in is never replaced; the finished
 * run is returned.
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
    const agents = { ...ctx.agents, logger: options.logger.child({ stage: stage.name }) };
    const started = performance.now();
    let patch: RunPatch;
    try {
      patch = await stage.run(run, { ...ctx, agents, progress: reporter(run, options) });
    } finally {
      const ms = performance.now() - started;
      recordStageTime(run.stats, stage.name, ms);
      options.metrics?.stageTimed(stage.name, ms);
    }
    run = { ...run, ...patch };
    await options.checkpoint(run);
  }
  return run;
}

/** Progress for one stage: logged, and passed to the front end; a listener that throws never breaks the run. */
export function reporter(
  run: Pick<StoredRun, 'runId' | 'stage'>,
  options: Pick<StageLoopOptions, 'logger' | 'onProgress'>,
) {
  return (done: number, total: number, message: string, stage = run.stage): void => {
    options.logger.debug({ stage, done, total }, message);
    try {
      options.onProgress?.({ runId: run.runId, stage, done, total, message });
    } catch (error) {
      options.logger.warn({ stage, err: describeError(error) }, 'progress listener failed');
    }
  };
}
