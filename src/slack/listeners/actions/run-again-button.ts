import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderNotice } from '../../blocks/thread.js';
import type { ListenerDeps } from '../../deps.js';
import { createPoster } from '../../poster.js';
import { findRunForAction } from '../../run-access.js';
import { claimRun, startRunInThread } from '../../run-in-thread.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Run again (on a run a restart cut off): after the ack, checks the run is this conversation's, then runs
 * the same request again, under a new run id, in the same thread; "already running" applies as for /leads. */
export function runAgainButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Args): Promise<void> => {
    const acked = ack();
    if (!deps.dedupe.firstDelivery(`action:${body.trigger_id}`)) {
      await acked;
      return;
    }
    deps.tasks.run(`run again ${action.value}`, async () => {
      await acked;
      const channelId = body.channel?.id;
      const userId = body.user.id;
      const poster = createPoster(client, deps.scrub, deps.logger);
      const access = await findRunForAction(deps, { teamId: body.team?.id ?? body.user.team_id, channelId, runId: action.value });
      if (!access.ok) {
        if (channelId) await poster.tellUser(channelId, userId, renderNotice(access.reason));
        return;
      }
      const { run } = access;
      const { teamId, channelId: runChannel, threadTs } = run.origin;
      const claim = claimRun(deps, { teamId, userId, channelId: runChannel });
      if (!claim.ok) {
        await poster.tellUser(runChannel, userId, claim.busy, threadTs);
        return;
      }
      deps.logger.info({ runId: claim.active.runId, from: run.runId }, 'running a cut-off request again');
      startRunInThread(deps, { client, teamId, channelId: runChannel, userId, text: run.request, intent: run.intent?.intent, threadTs }, claim.active);
    });
    await acked;
  };
}
