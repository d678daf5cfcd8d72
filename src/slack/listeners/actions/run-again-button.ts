import type { ListenerDeps } from '../../deps.js';
import { claimRun, startRunInThread } from '../../workflows/run-in-thread.js';
import { withRunAccess } from '../../workflows/with-run-access.js';

/** Run again (on a run a restart cut off): after the ack, checks the run is this conversation's, then runs
 * the same request again, under a new run id, in the same thread; "already running" applies as for /leads. */
export function runAgainButton(deps: ListenerDeps) {
  return withRunAccess(deps, 'run again', async ({ run, userId, client, poster }) => {
    const { teamId, channelId, threadTs } = run.origin;
    const claim = claimRun(deps, { teamId, userId, channelId });
    if (!claim.ok) {
      await poster.tellUser(channelId, userId, claim.busy, threadTs);
      return;
    }
    deps.logger.info({ runId: claim.active.runId, from: run.runId }, 'running a cut-off request again');
    startRunInThread(deps, { client, teamId, channelId, userId, text: run.request, intent: run.intent?.intent, threadTs, instant: false }, claim.active);
  });
}
