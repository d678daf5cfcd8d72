import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { clipRaw, collapseWhitespace } from '../../../domain/text.js';
import type { SlackOutcome } from '../../../metrics/metrics.js';
import { NOTE_ACTION_ID, NOTE_BLOCK_ID, NOTE_MAX_LENGTH, parseRescoreMetadata } from '../../blocks/rescore-modal.js';
import { renderNotice } from '../../blocks/thread.js';
import type { ListenerDeps } from '../../deps.js';
import { createPoster } from '../../io/poster.js';
import { findRunForAction } from '../../input/run-access.js';
import { rescoreInThread } from '../../workflows/rescore-in-thread.js';
import { rememberPermalink } from '../../workflows/open-thread.js';
import { claimRun } from '../../workflows/run-in-thread.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The Re-score modal's submission: closes the modal, re-checks the run, and re-scores into its thread
 * (a re-score counts as the user's one run in progress, like /leads). */
export function rescoreSubmission(deps: ListenerDeps) {
  return async ({ ack, body, view, client }: Args): Promise<SlackOutcome> => {
    const acked = ack();
    if (!deps.dedupe.firstDelivery(`view:${view.id}:${view.hash}`)) {
      await acked;
      return 'duplicate';
    }
    const meta = parseRescoreMetadata(view.private_metadata);
    const teamId = body.team?.id ?? body.user.team_id;
    const raw = view.state.values[NOTE_BLOCK_ID]?.[NOTE_ACTION_ID]?.value ?? '';
    const note = clipRaw(collapseWhitespace(raw), NOTE_MAX_LENGTH) || undefined;
    deps.tasks.run(`rescore ${meta?.runId ?? '?'}`, async () => {
      await acked;
      const access = await findRunForAction(deps, { teamId, channelId: meta?.channelId, runId: meta?.runId });
      if (!access.ok) {
        if (meta?.channelId) await createPoster(client, deps.scrub, deps.logger).tellUser(meta.channelId, body.user.id, renderNotice(access.reason));
        else deps.logger.warn({ teamId }, 'refused a re-score submission without usable metadata');
        return;
      }
      const { run } = access;
      const claim = claimRun(deps, { teamId: run.origin.teamId, userId: body.user.id, channelId: run.origin.channelId, threadTs: run.origin.threadTs }, run.runId);
      if (!claim.ok) {
        await createPoster(client, deps.scrub, deps.logger).tellUser(run.origin.channelId, body.user.id, claim.busy, run.origin.threadTs);
        return;
      }
      void rememberPermalink(client, claim.active, run.origin.channelId, run.origin.threadTs);
      try {
        await rescoreInThread(deps, { client, run, note });
      } finally {
        deps.active.release(claim.active);
      }
    });
    await acked;
    return 'accepted';
  };
}
