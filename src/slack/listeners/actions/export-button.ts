import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderNotice } from '../../blocks/thread.js';
import type { ListenerDeps } from '../../deps.js';
import { exportCsv } from '../../export-csv.js';
import { createPoster } from '../../poster.js';
import { findRunForAction } from '../../run-access.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Export CSV: after the ack, checks the run is this conversation's, then uploads the file into its thread. */
export function exportButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: Args): Promise<void> => {
    const acked = ack();
    if (!deps.dedupe.firstDelivery(`action:${body.trigger_id}`)) {
      await acked;
      return;
    }
    deps.tasks.run(`export ${action.value}`, async () => {
      await acked;
      const channelId = body.channel?.id;
      const access = await findRunForAction(deps, { teamId: body.team?.id ?? body.user.team_id, channelId, runId: action.value });
      if (!access.ok) {
        if (channelId) await createPoster(client, deps.scrub, deps.logger).tellUser(channelId, body.user.id, renderNotice(access.reason));
        return;
      }
      await exportCsv(deps, { client, run: access.run, userId: body.user.id });
    });
    await acked;
  };
}
