import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  OverflowAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { SharedStateError } from '../../errors.js';
import type { SlackOutcome } from '../../metrics/metrics.js';
import { renderNotice } from '../blocks/thread.js';
import type { ListenerDeps, SlackClient } from '../deps.js';
import { createPoster, type Poster } from '../io/poster.js';
import { findRunForAction, type SlackRun } from '../input/run-access.js';
import { SHARED_STATE_DOWN } from '../state/before-ack.js';
import { firstDeliveryAfterAck } from '../state/dedupe.js';

type Args<A extends ButtonAction | OverflowAction> = SlackActionMiddlewareArgs<BlockAction<A>> & AllMiddlewareArgs;

/** What a button handler gets once its run has been checked against the clicking conversation. */
export interface RunAccessContext {
  run: SlackRun;
  userId: string;
  triggerId: string;
  client: SlackClient;
  poster: Poster;
  /** Replies through the action's response_url: reaches the user even in a channel the bot is not in. */
  respond: (message: { text: string }) => Promise<void>;
}

/**
 * The part every button on a run shares: ack first, ignore a repeated delivery, then, after the ack,
 * refuse runs of another workspace or channel in plain words and hand the rest to `act`.
 */
export function withRunAccess(deps: ListenerDeps, name: string, act: (ctx: RunAccessContext) => Promise<void>) {
  return withRunAccessOf<ButtonAction>(deps, name, (action) => action.value, act);
}

/** Like withRunAccess for any control whose value names the run (a button's value, an overflow choice's). */
export function withRunAccessOf<A extends ButtonAction | OverflowAction>(
  deps: ListenerDeps,
  name: string,
  runIdOf: (action: A) => string | undefined,
  act: (ctx: RunAccessContext & { action: A }) => Promise<void>,
) {
  return async ({ ack, body, action, client, respond }: Args<A>): Promise<SlackOutcome> => {
    const acked = ack();
    // A click delivered twice (a retry, or to two instances) acts once.
    const first = firstDeliveryAfterAck(deps.dedupe, acked, `action:${body.trigger_id}`);
    const runId = runIdOf(action);
    deps.tasks.run(`${name} ${runId ?? '?'}`, async () => {
      await acked;
      const channelId = body.channel?.id;
      const poster = createPoster(client, deps.scrub, deps.logger);
      try {
        if (!(await first)) return;
        const access = await findRunForAction(deps, { teamId: body.team?.id ?? body.user.team_id, channelId, runId });
        if (!access.ok) {
          if (channelId) await poster.tellUser(channelId, body.user.id, renderNotice(access.reason));
          return;
        }
        const reply = async (message: { text: string }) => {
          await respond({ response_type: 'ephemeral', replace_original: false, text: deps.scrub(message.text) });
        };
        await act({
          run: access.run,
          userId: body.user.id,
          triggerId: body.trigger_id,
          client,
          poster,
          respond: reply,
          action,
        });
      } catch (error) {
        if (!(error instanceof SharedStateError)) throw error;
        deps.logger.error({ err: error.message }, `shared state unavailable; ${name} refused`);
        if (channelId) await poster.tellUser(channelId, body.user.id, renderNotice(SHARED_STATE_DOWN));
      }
    });
    await acked;
    // The run is checked after the ack; a refusal is told to the person, the delivery itself was accepted.
    return (await first.catch(() => true)) ? 'accepted' : 'duplicate';
  };
}
