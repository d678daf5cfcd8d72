import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackOutcome } from '../../../metrics/metrics.js';
import { renderUsage } from '../../blocks/usage.js';
import type { ListenerDeps } from '../../deps.js';
import { createPoster } from '../../io/poster.js';
import { parseLeadsRequest } from '../../input/request-text.js';
import { claimRun, startRunInThread } from '../../workflows/run-in-thread.js';

type Args = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

/** `@Leads <request>` in a channel (the run threads under the mention) or in a thread (the run lives there). */
export function appMention(deps: ListenerDeps) {
  return async ({ event, body, client }: Args): Promise<SlackOutcome> => {
    // Bolt has already acked the event; a retried delivery carries the same event_id.
    const teamId = body.team_id ?? event.team;
    if (!teamId || !event.user) return 'invalid';
    // Another bot's mention is ignored unless it is allowed by id, so two bots cannot start runs at each other.
    const botId = (event as { bot_id?: string }).bot_id;
    if (botId && !deps.allowedBots.has(botId)) {
      deps.logger.info({ botId }, 'ignored a mention from another bot');
      return 'refused';
    }
    if (!deps.dedupe.firstDelivery(`event:${teamId}:${body.event_id}`)) {
      deps.logger.info({ eventId: body.event_id }, 'ignored a repeated app_mention delivery');
      return 'duplicate';
    }
    const poster = createPoster(client, deps.scrub, deps.logger);
    const where = { teamId, channelId: event.channel, userId: event.user };
    const threadTs = event.thread_ts ?? event.ts;
    const parsed = parseLeadsRequest(event.text ?? '');
    if (parsed.kind !== 'run') {
      const problem =
        parsed.kind === 'usage' ? parsed.problem : parsed.kind === 'schedule' || parsed.kind === 'schedules' ? 'Digests are scheduled and listed with the slash command: `/leads schedule weekly customers`, `/leads schedules`.' : undefined;
      const usage = renderUsage(deps.companyName, problem);
      await poster.tellUser(event.channel, event.user, usage, event.thread_ts);
      return parsed.kind === 'usage' ? 'invalid' : 'help';
    }
    const claim = claimRun(deps, where);
    if (!claim.ok) {
      await poster.tellUser(event.channel, event.user, claim.busy, event.thread_ts);
      return 'busy';
    }
    startRunInThread(deps, { ...where, client, text: parsed.text, intent: parsed.intent, threadTs }, claim.active);
    return 'accepted';
  };
}
