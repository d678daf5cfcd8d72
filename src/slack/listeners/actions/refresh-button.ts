import type { ListenerDeps } from '../../deps.js';
import { requestRun } from '../../workflows/request-run.js';
import { withRunAccess } from '../../workflows/with-run-access.js';

/** Refresh (on an answer from a scheduled result): queues the same request fresh (no cache), in the same thread, as
 * the clicking person's one run in progress. */
export function refreshButton(deps: ListenerDeps) {
  return withRunAccess(deps, 'refresh', async ({ run, userId, poster }) => {
    const { teamId, channelId, threadTs } = run.origin;
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
        fresh: true,
        instant: false,
      },
      { tell: (message) => poster.tellUser(channelId, userId, message, threadTs) },
    );
  });
}
