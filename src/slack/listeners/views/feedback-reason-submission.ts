import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { SlackOutcome } from '../../../metrics/metrics.js';
import { parseReasonMetadata, REASON_ACTION_ID, REASON_BLOCK_ID } from '../../blocks/feedback.js';
import type { ListenerDeps } from '../../deps.js';
import { saveReason } from '../../workflows/team-feedback.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The reason form's submission: closes the form, then stores the reason on the clicking workspace's mark only. */
export function feedbackReasonSubmission(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: Args): Promise<SlackOutcome> => {
    const acked = ack();
    if (!deps.dedupe.firstDelivery(`view:${view.id}:${view.hash}`)) {
      await acked;
      return 'duplicate';
    }
    const meta = parseReasonMetadata(view.private_metadata);
    const teamId = body.team?.id ?? body.user.team_id;
    const reason = view.state.values[REASON_BLOCK_ID]?.[REASON_ACTION_ID]?.value ?? '';
    deps.tasks.run(`feedback reason ${meta?.entryId ?? '?'}`, async () => {
      await acked;
      if (!meta || !teamId) {
        deps.logger.warn({ teamId }, 'refused a reason submission without usable metadata');
        return;
      }
      await saveReason(deps, { client, teamId, userId: body.user.id, entryId: meta.entryId, channelId: meta.channelId, reason });
    });
    await acked;
    return meta ? 'accepted' : 'invalid';
  };
}
