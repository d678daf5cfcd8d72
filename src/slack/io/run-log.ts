import type { Stage } from '../../domain/types.js';
import type { LineLogger, Logger } from '../../logger.js';

/** A run's lines in Slack, like the pipeline's: its id and team bound, and on each line the stage the run has
 * reached (its progress events move it along), so one filter finds everything a run did. */
export function runLog(logger: Logger, run: { runId: string; teamId: string }, stage: () => Stage): LineLogger {
  const child = logger.child({ runId: run.runId, team: run.teamId });
  return {
    info: (fields, message) => child.info({ stage: stage(), ...fields }, message),
    warn: (fields, message) => child.warn({ stage: stage(), ...fields }, message),
    error: (fields, message) => child.error({ stage: stage(), ...fields }, message),
  };
}
