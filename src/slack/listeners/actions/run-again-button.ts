import type { ListenerDeps } from '../../deps.js';
import { requestRun } from '../../workflows/request-run.js';
import { withRunAccess } from '../../workflows/with-run-access.js';

/** Run again (on a run a restart cut off, or one that failed for good): after the ack, checks the run is this
 * conversation's, then queues the same request again, under a new run id, in the same thread; "already running"
 * applies as for /leads. */
export function runAgainButton(deps: ListenerDeps) {
  return withRunAccess(deps, 'run again', async ({ run, userId, poster }) => {
    const { teamId, channelId, threadTs } = run.origin;
    deps.logger.info({ from: run.runId }, 'running a request again');
    // Run again means run: a scheduled result of the same request does not answer it instead.
    await requestRun(
      deps,
      {
        kind: 'run',
        teamId,
        channelId,
        userId,
        text: run.request,
        intent: run.intent?.intent,
        threadTs,
        instant: false,
      },
      { tell: (message) => poster.tellUser(channelId, userId, message, threadTs) },
    );
  });
}
