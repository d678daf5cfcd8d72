import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderRescoreModal } from '../../blocks/rescore-modal.js';
import { renderNotice } from '../../blocks/thread.js';
import type { ListenerDeps } from '../../deps.js';
import { createPoster, slackErrorCode } from '../../poster.js';
import { findRunForAction } from '../../run-access.js';
import { alreadyRunning } from '../../run-in-thread.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Re-score: after the ack, checks the run is this conversation's and the user has nothing running, then opens the modal. */
export function rescoreButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Args): Promise<void> => {
    const acked = ack();
    if (!deps.dedupe.firstDelivery(`action:${body.trigger_id}`)) {
      await acked;
      return;
    }
    deps.tasks.run(`rescore modal ${action.value}`, async () => {
      await acked;
      const channelId = body.channel?.id;
      const poster = createPoster(client, deps.scrub, deps.logger);
      const access = await findRunForAction(deps, { teamId: body.team?.id ?? body.user.team_id, channelId, runId: action.value });
      if (!access.ok) {
        if (channelId) await poster.tellUser(channelId, body.user.id, renderNotice(access.reason));
        return;
      }
      const { run } = access;
      const { channelId: runChannel, threadTs } = run.origin;
      if (run.status !== 'succeeded' || !run.leads?.length) {
        await poster.tellUser(runChannel, body.user.id, renderNotice('That list is not finished yet, so it can’t be re-scored.'), threadTs);
        return;
      }
      // Refused before the form opens, so nobody writes a note for a re-score that cannot start.
      const busy = alreadyRunning(deps, run.origin.teamId, body.user.id);
      if (busy) {
        await poster.tellUser(runChannel, body.user.id, busy, threadTs);
        return;
      }
      try {
        // The trigger id expires 3 s after the click, so the modal opens before anything slower.
        await client.views.open({ trigger_id: body.trigger_id, view: renderRescoreModal({ runId: run.runId, channelId: runChannel }, run.leads.length) as never });
      } catch (error) {
        const code = slackErrorCode(error);
        deps.logger.warn({ runId: run.runId, err: code }, 'could not open the re-score modal');
        await poster.tellUser(runChannel, body.user.id, renderNotice(`I couldn’t open the re-score form (Slack said: ${code}). Click Re-score again.`), threadTs);
      }
    });
    await acked;
  };
}
