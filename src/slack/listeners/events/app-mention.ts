import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackOutcome } from '../../../metrics/metrics.js';
import { renderUsage } from '../../blocks/usage.js';
import { renderNotice } from '../../blocks/thread.js';
import type { ListenerDeps } from '../../deps.js';
import { createPoster } from '../../io/poster.js';
import { parseLeadsRequest } from '../../input/request-text.js';
import { SHARED_STATE_DOWN } from '../../state/before-ack.js';
import { requestRun } from '../../workflows/request-run.js';

type Args = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

/** `@Leads <request>` in a channel (the run threads under the mention) or in a thread (the run lives there). */
export function appMention(deps: ListenerDeps) {
  return async ({ event, body, client }: Args): Promise<SlackOutcome> => {
    // Bolt has already acked the event; a retried delivery (to this or another instance) carries the same event_id.
    const teamId = body.team_id ?? event.team;
    if (!teamId || !event.user) return 'invalid';
    // Another bot's mention is ignored unless it is allowed by id, so two bots cannot start runs at each other.
    const botId = (event as { bot_id?: string }).bot_id;
    if (botId && !deps.allowedBots.has(botId)) {
      deps.logger.info({ botId }, 'ignored a mention from another bot');
      return 'refused';
    }
    const poster = createPoster(client, deps.scrub, deps.logger);
    const user = event.user;
    const parsed = parseLeadsRequest(event.text ?? '');
    try {
      if (!(await deps.dedupe.firstDelivery(`event:${teamId}:${body.event_id}`))) {
        deps.logger.info({ eventId: body.event_id }, 'ignored a repeated app_mention delivery');
        return 'duplicate';
      }
    } catch (error) {
      deps.logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'shared state unavailable; mention refused',
      );
      await poster.tellUser(event.channel, user, renderNotice(SHARED_STATE_DOWN), event.thread_ts);
      return 'error';
    }
    if (parsed.kind !== 'run') {
      const problem =
        parsed.kind === 'usage'
          ? parsed.problem
          : parsed.kind === 'schedule' || parsed.kind === 'schedules'
            ? 'Digests are scheduled and listed with the slash command: `/leads schedule weekly customers`, `/leads schedules`.'
            : undefined;
      await poster.tellUser(event.channel, user, renderUsage(deps.companyName, problem), event.thread_ts);
      return parsed.kind === 'usage' ? 'invalid' : 'help';
    }
    // A mention in a channel threads the run under itself; one in a thread runs there.
    const threadTs = event.thread_ts ?? event.ts;
    return requestRun(
      deps,
      {
        kind: 'run',
        teamId,
        channelId: event.channel,
        userId: user,
        text: parsed.text,
        intent: parsed.intent,
        threadTs,
      },
      // Answers go where the person typed: in the channel, or in the thread they mentioned us in.
      { tell: (message) => poster.tellUser(event.channel, user, message, event.thread_ts) },
    );
  };
}
