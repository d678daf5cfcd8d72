import type { ListenerDeps } from '../../deps.js';
import { claimRun, startJob } from '../../workflows/run-in-thread.js';
import { withRunAccess } from '../../workflows/with-run-access.js';

/** Refresh (on an answer from a scheduled result): queues the same request fresh, in the same thread, as the
 * clicking user's one run in progress. */
export function refreshButton(deps: ListenerDeps) {
  return withRunAccess(deps, 'refresh', async ({ run, userId, poster }) => {
    const { teamId, channelId, threadTs } = run.origin;
    const claim = await claimRun(deps, { teamId, userId, channelId, threadTs });
    if (!claim.ok) {
      await poster.tellUser(channelId, userId, claim.busy, threadTs);
      return;
    }
    const job = {
      kind: 'run' as const,
      runId: claim.active.runId,
      teamId,
      channelId,
      userId,
      text: run.request,
      intent: run.intent?.intent,
      threadTs,
      fresh: true,
      instant: false,
    };
    startJob(deps, job, claim.active, (message) => poster.tellUser(channelId, userId, message, threadTs));
  });
}
