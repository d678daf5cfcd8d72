import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackOutcome } from '../../../metrics/metrics.js';
import type { ListenerDeps } from '../../deps.js';
import { publishHome } from '../../workflows/publish-home.js';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** Someone opened the app's Home tab: publish their workspace's runs, schedules, feedback and health. */
export function appHomeOpened(deps: ListenerDeps) {
  return async ({ event, body, client }: Args): Promise<SlackOutcome> => {
    // Bolt has already acked the event; the Messages tab needs nothing from us.
    if (event.tab !== 'home') return 'invalid';
    const teamId = body.team_id;
    if (!teamId) return 'invalid';
    try {
      // A retried delivery (to this or another instance) carries the same event_id.
      if (!(await deps.dedupe.firstDelivery(`event:${teamId}:${body.event_id}`))) return 'duplicate';
    } catch (error) {
      // The next opening of the tab publishes it; nobody is waiting on this one.
      deps.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'shared state unavailable; App Home not published',
      );
      return 'error';
    }
    deps.tasks.run(`home ${event.user}`, () => publishHome(deps, { client, teamId, userId: event.user }));
    return 'accepted';
  };
}
