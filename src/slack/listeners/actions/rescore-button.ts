import { renderRescoreModal } from '../../blocks/rescore-modal.js';
import { renderNotice } from '../../blocks/thread.js';
import type { ListenerDeps } from '../../deps.js';
import { slackErrorCode } from '../../io/poster.js';
import { alreadyRunning } from '../../workflows/request-run.js';
import { runLog } from '../../io/run-log.js';
import { withRunAccess } from '../../workflows/with-run-access.js';

/** Re-score: after the ack, checks the run is this conversation's and the user has nothing running, then opens the modal. */
export function rescoreButton(deps: ListenerDeps) {
  return withRunAccess(deps, 'rescore modal', async ({ run, userId, triggerId, client, poster }) => {
    const { channelId, threadTs } = run.origin;
    if (run.status !== 'succeeded' || !run.leads?.length) {
      await poster.tellUser(
        channelId,
        userId,
        renderNotice('That list is not finished yet, so it can’t be re-scored.'),
        threadTs,
      );
      return;
    }
    // Refused before the form opens, so nobody writes a note for a re-score that cannot start.
    const busy = await alreadyRunning(deps, run.origin.teamId, userId);
    if (busy) {
      await poster.tellUser(channelId, userId, busy, threadTs);
      return;
    }
    try {
      // The trigger id expires 3 s after the click, so the modal opens before anything slower.
      await client.views.open({
        trigger_id: triggerId,
        view: renderRescoreModal({ runId: run.runId, channelId }, run.leads.length),
      });
    } catch (error) {
      const code = slackErrorCode(error);
      runLog(deps.logger, { runId: run.runId, teamId: run.origin.teamId }, () => run.stage).warn(
        { err: code },
        'could not open the re-score modal',
      );
      await poster.tellUser(
        channelId,
        userId,
        renderNotice(`I couldn’t open the re-score form (Slack said: ${code}). Click Re-score again.`),
        threadTs,
      );
    }
  });
}
