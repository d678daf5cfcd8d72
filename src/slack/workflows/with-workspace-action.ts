import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { SharedStateError } from '../../errors.js';
import type { SlackOutcome } from '../../metrics/metrics.js';
import { renderNotice } from '../blocks/thread.js';
import type { ListenerDeps, SlackClient } from '../deps.js';
import { createPoster, type Poster } from '../io/poster.js';
import { SHARED_STATE_DOWN } from '../state/before-ack.js';
import { firstDeliveryAfterAck } from '../state/dedupe.js';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** What a workspace-level button handler gets: who clicked where, and the id the button carries. */
export interface WorkspaceActionContext {
  teamId: string;
  userId: string;
  /** The button's value: a mark's or a schedule's id, looked up in this workspace only. */
  value: string;
  triggerId: string;
  /** The conversation of the clicked message; absent on App Home. */
  channelId?: string;
  /** The thread of the clicked message, for a private answer in place. */
  threadTs?: string;
  onHome: boolean;
  client: SlackClient;
  poster: Poster;
}

/**
 * For buttons on a workspace's own things rather than a run (Undo a mark, Cancel a schedule, Add a reason), in a
 * message or on App Home: ack first, ignore a repeated delivery, then hand over after the ack. The handler looks the
 * id up in the clicking workspace's store only, so another workspace's id finds nothing.
 */
export function withWorkspaceAction(
  deps: ListenerDeps,
  name: string,
  act: (ctx: WorkspaceActionContext) => Promise<void>,
) {
  return async ({ ack, body, action, client }: Args): Promise<SlackOutcome> => {
    const acked = ack();
    // A click delivered twice (a retry, or to two instances) acts once.
    const first = firstDeliveryAfterAck(deps.dedupe, acked, `action:${body.trigger_id}`);
    const teamId = body.team?.id ?? body.user.team_id;
    deps.tasks.run(`${name} ${action.value}`, async () => {
      await acked;
      const poster = createPoster(client, deps.scrub, deps.logger);
      const message = body.message as { thread_ts?: string; ts?: string } | undefined;
      const threadTs = message?.thread_ts ?? body.container?.thread_ts;
      try {
        if (!(await first)) return;
        if (!teamId || typeof action.value !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(action.value)) {
          deps.logger.warn({ teamId, action: action.action_id }, 'refused a button without a usable workspace or id');
          return;
        }
        await act({
          teamId,
          userId: body.user.id,
          value: action.value,
          triggerId: body.trigger_id,
          channelId: body.channel?.id,
          threadTs,
          onHome: body.view?.type === 'home',
          client,
          poster,
        });
      } catch (error) {
        if (!(error instanceof SharedStateError)) throw error;
        deps.logger.error({ err: error.message }, `shared state unavailable; ${name} refused`);
        if (body.channel?.id)
          await poster.tellUser(body.channel.id, body.user.id, renderNotice(SHARED_STATE_DOWN), threadTs);
      }
    });
    await acked;
    return (await first.catch(() => true)) ? 'accepted' : 'duplicate';
  };
}
