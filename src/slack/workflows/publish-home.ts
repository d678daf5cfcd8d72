import { nextRunOf } from '../../scheduling/cadence.js';
import { renderAppHome } from '../blocks/app-home.js';
import type { ListenerDeps, SlackClient } from '../deps.js';
import { probe } from '../io/healthz.js';
import { slackErrorCode } from '../io/poster.js';

/** Publishes a person's Home tab for their workspace: recent runs, schedules, feedback and the setup's health. */
export async function publishHome(
  deps: ListenerDeps,
  input: { client: SlackClient; teamId: string; userId: string },
): Promise<void> {
  const { teamId } = input;
  const failed = (what: string) => (error: unknown) => {
    deps.logger.warn({ teamId, err: (error as Error).message }, `App Home could not read ${what}`);
    return [];
  };
  const [runs, schedules, feedback, model, store] = await Promise.all([
    deps.workspace.recentRuns.list(teamId).catch(failed('recent runs')),
    deps.workspace.schedules.list(teamId).catch(failed('schedules')),
    deps.workspace.feedback.list(teamId).catch(failed('feedback')),
    probe(deps.health.llm),
    probe(deps.health.store),
  ]);
  const now = deps.now();
  const view = renderAppHome({
    companyName: deps.companyName,
    teamId,
    runs,
    schedules: schedules.map((schedule) => ({ schedule, next: nextRunOf(schedule, now) })),
    feedback,
    health: {
      model: { label: deps.setup.model, ...model },
      search: deps.setup.search,
      store: { label: deps.setup.store, ...store },
      scheduler:
        deps.scheduler.kind === 'in-process'
          ? 'timers in this process (croner)'
          : 'BullMQ job schedulers on Redis (one instance fires each digest)',
      hubspot: deps.setup.hubspot ?? null,
      salesforce: deps.setup.salesforce ?? null,
    },
  });
  try {
    await input.client.views.publish({ user_id: input.userId, view });
  } catch (error) {
    deps.logger.warn({ teamId, userId: input.userId, err: slackErrorCode(error) }, 'could not publish App Home');
  }
}
