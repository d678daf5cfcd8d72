import { describeFailure, renderFailure } from '../blocks/errors.js';
import { intentNoun } from '../blocks/labels.js';
import type { ListenerDeps, SlackClient } from '../deps.js';
import { createPoster, slackErrorCode } from '../io/poster.js';
import { postResult, reportNoLeads } from './post-result.js';
import { NoLeadsError } from '../../domain/types.js';
import { startProgressTracker } from './progress-tracker.js';
import { runLog } from './run-log.js';
import type { Stage } from '../../domain/types.js';
import { teamContextFor } from './recent-runs.js';
import type { SlackRun } from '../input/run-access.js';

/** Re-scores a stored run and posts the new table and what changed into its thread. */
export async function rescoreInThread(deps: ListenerDeps, request: { client: SlackClient; run: SlackRun; note?: string }): Promise<void> {
  const { run } = request;
  let stage: Stage = 'scoring';
  const log = runLog(deps.logger, { runId: run.runId, teamId: run.origin.teamId }, () => stage);
  const poster = createPoster(request.client, deps.scrub, log);
  const where = { teamId: run.origin.teamId, channelId: run.origin.channelId, threadTs: run.origin.threadTs };
  const progress = await startProgressTracker({ ...deps, logger: log }, poster, where, `Re-scoring ${intentNoun(run.intent?.intent)} for ${deps.companyName}`);
  try {
    const result = await deps.orchestrator.rescore({
      runId: run.runId,
      scope: run.scope,
      note: request.note,
      // Marks given since the run was made count in the re-score: hidden companies drop out, preferences steer.
      team: await teamContextFor(deps, run.scope),
      onProgress: (event) => {
        stage = event.stage;
        progress.onEvent(event);
      },
    });
    await progress.complete(result.stats.stageMs);
    await postResult({ ...deps, logger: log }, poster, where, result, { changes: result.changes, note: request.note });
  } catch (error) {
    stage = 'failed';
    if (error instanceof NoLeadsError) {
      await reportNoLeads({ logger: log }, poster, where, progress, error);
      return;
    }
    await progress.fail(describeFailure(error));
    await poster
      .post(where.channelId, renderFailure(error, { runId: run.runId, what: 'The re-score' }), where.threadTs)
      .catch((postError: unknown) => log.error({ err: slackErrorCode(postError) }, 'could not post the failure'));
  }
}
