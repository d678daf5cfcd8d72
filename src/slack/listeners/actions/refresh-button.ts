import type { ListenerDeps } from '../../deps.js';
import { claimRun, startRunInThread } from '../../workflows/run-in-thread.js';
import { withRunAccess } from '../../workflows/with-run-access.js';

/** Refresh (on an answer from a scheduled result): runs the same request fresh, in the same thread, as the
 * clicking user's one run in progress. */
export function refreshButton(deps: ListenerDeps) {
  return withRunAccess(deps, 'refresh', async ({ run, userId, client, poster }) => {
    const { teamId, channelId, threadTs } = run.origin;
    const claim = claimRun(deps, { teamId, userId, channelId, threadTs });
    if (!claim.ok) {
      await poster.tellUser(channelId, userId, claim.busy, threadTs);
      return;
    }
    startRunInThread(deps, { client, teamId, channelId, userId, text: run.request, intent: run.intent?.intent, threadTs, fresh: true, instant: false }, claim.active);
  });
}
