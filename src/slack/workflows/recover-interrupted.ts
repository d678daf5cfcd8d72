import type { Logger } from '../../logger.js';
import type { Orchestrator, StoredRun } from '../../domain/types.js';
import type { Scrubber } from '../../secrets.js';
import { renderInterrupted, renderInterruptedProgress } from '../blocks/interrupted.js';
import type { SlackClient } from '../deps.js';
import { createPoster, slackErrorCode } from '../io/poster.js';
import type { SlackRun } from '../input/run-access.js';
import type { DeliveryDedupe } from '../state/dedupe.js';
import { runLog } from '../io/run-log.js';

/**
 * Step one of start-up recovery, before the app receives anything (so no run of this process is caught):
 * runs a stopped process left 'running' are stored as 'interrupted', and returned for their threads to be told.
 */
export async function interruptCutOffRuns(
  deps: { orchestrator: Orchestrator; logger: Logger },
  stillGoing?: (run: StoredRun) => Promise<boolean>,
): Promise<SlackRun[]> {
  let interrupted: StoredRun[];
  try {
    interrupted = await deps.orchestrator.interruptUnfinished(stillGoing);
  } catch (error) {
    deps.logger.error(
      { err: error instanceof Error ? error.message : String(error) },
      'could not look for runs cut off by a restart',
    );
    return [];
  }
  // CLI and bench runs have no thread: being stored as interrupted is all they need.
  return interrupted.filter((run): run is SlackRun => run.origin.kind === 'slack');
}

/**
 * Step two, once connected: each cut-off Slack run's thread gets a notice with Run again, and its progress
 * message (when known) stops claiming to be in progress. A failure to post is logged and never stops start-up.
 */
export async function tellThreadsOfInterruptedRuns(
  deps: { client: SlackClient; scrub: Scrubber; logger: Logger; dedupe: DeliveryDedupe },
  runs: readonly SlackRun[],
): Promise<void> {
  for (const run of runs) {
    const { channelId, threadTs, progressTs } = run.origin;
    // Several instances starting at once may all find the run: one tells its thread.
    const first = await deps.dedupe.firstDelivery(`interrupted:${run.scope}:${run.runId}`).catch(() => true);
    if (!first) continue;
    // Lines about the run carry its id, team and the stage it was cut off in, like the run's own lines.
    const log = runLog(deps.logger, { runId: run.runId, teamId: run.origin.teamId }, () => run.stage);
    const poster = createPoster(deps.client, deps.scrub, log);
    try {
      await poster.post(channelId, renderInterrupted(run.runId, run.stage), threadTs);
    } catch (error) {
      log.warn({ channelId, err: slackErrorCode(error) }, 'could not tell a thread its run was interrupted');
    }
    if (!progressTs) continue;
    try {
      await poster.update(channelId, progressTs, renderInterruptedProgress(run.stage));
    } catch (error) {
      log.warn({ channelId, err: slackErrorCode(error) }, 'could not mark the progress message interrupted');
    }
  }
}
