import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { SlackOutcome } from '../../../metrics/metrics.js';
import { parseReasonMetadata, REASON_ACTION_ID, REASON_BLOCK_ID } from '../../blocks/feedback.js';
import type { ListenerDeps } from '../../deps.js';
import { firstDeliveryAfterAck } from '../../state/dedupe.js';
import { saveReason } from '../../workflows/team-feedback.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The reason form's submission: closes the form, then stores the reason on the clicking workspace's mark only. */
export function feedbackReasonSubmission(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: Args): Promise<SlackOutcome> => {
    const acked = ack();
    // A repeated submission (a retry, or to two instances) is dropped before any work.
    const first = firstDeliveryAfterAck(deps.dedupe, acked, `view:${view.id}:${view.hash}`);
    const meta = parseReasonMetadata(view.private_metadata);
    const teamId = body.team?.id ?? body.user.team_id;
    const reason = view.state.values[REASON_BLOCK_ID]?.[REASON_ACTION_ID]?.value ?? '';
    deps.tasks.run(`feedback reason ${meta?.entryId ?? '?'}`, async () => {
      await acked;
      if (!(await first)) return;
      if (!meta || !teamId) {
        deps.logger.warn({ teamId }, 'refused a reason submission without usable metadata');
        return;
      }
      await saveReason(deps, {
        client,
        teamId,
        userId: body.user.id,
        entryId: meta.entryId,
        channelId: meta.channelId,
        reason,
      });
    });
    await acked;
    if (!(await first.catch(() => true))) return 'duplicate';
    return meta ? 'accepted' : 'invalid';
  };
}
