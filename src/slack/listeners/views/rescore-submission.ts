import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { clipRaw, collapseWhitespace } from '../../../domain/text.js';
import { SharedStateError } from '../../../errors.js';
import type { SlackOutcome } from '../../../metrics/metrics.js';
import { NOTE_ACTION_ID, NOTE_BLOCK_ID, NOTE_MAX_LENGTH, parseRescoreMetadata } from '../../blocks/rescore-modal.js';
import { renderNotice } from '../../blocks/thread.js';
import type { ListenerDeps } from '../../deps.js';
import { createPoster } from '../../io/poster.js';
import { findRunForAction } from '../../input/run-access.js';
import { SHARED_STATE_DOWN } from '../../state/before-ack.js';
import { firstDeliveryAfterAck } from '../../state/dedupe.js';
import { requestRun } from '../../workflows/request-run.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The Re-score modal's submission: closes the modal, re-checks the run, and queues a re-score into its thread
 * (a re-score counts as the user's one run in progress, like /leads). */
export function rescoreSubmission(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: Args): Promise<SlackOutcome> => {
    const acked = ack();
    // A repeated submission (a retry, or to two instances) is dropped before any work.
    const first = firstDeliveryAfterAck(deps.dedupe, acked, `view:${view.id}:${view.hash}`);
    const meta = parseRescoreMetadata(view.private_metadata);
    const teamId = body.team?.id ?? body.user.team_id;
    const raw = view.state.values[NOTE_BLOCK_ID]?.[NOTE_ACTION_ID]?.value ?? '';
    const note = clipRaw(collapseWhitespace(raw), NOTE_MAX_LENGTH) || undefined;
    const poster = createPoster(client, deps.scrub, deps.logger);
    deps.tasks.run(`rescore ${meta?.runId ?? '?'}`, async () => {
      await acked;
      try {
        if (!(await first)) return;
        const access = await findRunForAction(deps, { teamId, channelId: meta?.channelId, runId: meta?.runId });
        if (!access.ok) {
          if (meta?.channelId) await poster.tellUser(meta.channelId, body.user.id, renderNotice(access.reason));
          else deps.logger.warn({ teamId }, 'refused a re-score submission without usable metadata');
          return;
        }
        const { run } = access;
        const { channelId, threadTs } = run.origin;
        const userId = body.user.id;
        await requestRun(
          deps,
          {
            kind: 'rescore',
            runId: run.runId,
            teamId: run.origin.teamId,
            channelId,
            userId,
            threadTs,
            note,
            requestId: `${view.id}-${view.hash}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 120),
          },
          { tell: (message) => poster.tellUser(channelId, userId, message, threadTs) },
        );
      } catch (error) {
        if (!(error instanceof SharedStateError)) throw error;
        deps.logger.error({ err: error.message }, 'shared state unavailable; re-score refused');
        if (meta?.channelId) await poster.tellUser(meta.channelId, body.user.id, renderNotice(SHARED_STATE_DOWN));
      }
    });
    await acked;
    return (await first.catch(() => true)) ? 'accepted' : 'duplicate';
  };
}
