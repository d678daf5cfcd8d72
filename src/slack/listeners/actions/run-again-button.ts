import type { ListenerDeps } from '../../deps.js';
import { claimRun, startJob } from '../../workflows/run-in-thread.js';
import { withRunAccess } from '../../workflows/with-run-access.js';

/** Run again (on a run a restart cut off, or one that failed for good): after the ack, checks the run is this
 * conversation's, then queues the same request again, under a new run id, in the same thread; "already running"
 * applies as for /leads. */
export function runAgainButton(deps: ListenerDeps) {
  return withRunAccess(deps, 'run again', async ({ run, userId, poster }) => {
    const { teamId, channelId, threadTs } = run.origin;
    const claim = await claimRun(deps, { teamId, userId, channelId, threadTs });
    if (!claim.ok) {
      await poster.tellUser(channelId, userId, claim.busy, threadTs);
      return;
    }
    deps.logger.info({ runId: claim.active.runId, from: run.runId }, 'running a request again');
    // Run again means run: a scheduled result of the same request does not answer it instead.
    const job = {
      kind: 'run' as const,
      runId: claim.active.runId,
      teamId,
      channelId,
      userId,
      text: run.request,
      intent: run.intent?.intent,
      threadTs,
      instant: false,
    };
    startJob(deps, job, claim.active, (message) => poster.tellUser(channelId, userId, message, threadTs));
  });
}
