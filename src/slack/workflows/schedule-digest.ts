import { randomBytes } from 'node:crypto';
import type { IntentKind } from '../../domain/types.js';
import type { CadenceKind, Schedule } from '../../domain/schedule.js';
import { nextRunOf } from '../../scheduling/cadence.js';
import { MAX_SCHEDULES_PER_WORKSPACE } from '../../store/schedule-store.js';
import { renderScheduleCancelled, renderScheduleCreated, renderScheduleList } from '../blocks/schedules.js';
import { cannotPost, renderNotice } from '../blocks/thread.js';
import type { SlackMessage } from '../blocks/message.js';
import type { ListenerDeps, SlackClient } from '../deps.js';
import { createPoster, slackErrorCode } from '../io/poster.js';
import { publishHome } from './publish-home.js';
import type { WorkspaceActionContext } from './with-workspace-action.js';

/** A schedule the command has already read and checked: cadence, cron and the request it runs. */
export interface NewSchedule {
  client: SlackClient;
  teamId: string;
  channelId: string;
  userId: string;
  cadence: CadenceKind;
  cron: string;
  request: string;
  intent?: IntentKind;
  /** Answers the person who typed the command privately (the slash command's response_url). */
  notifyUser: (message: SlackMessage) => Promise<void>;
}

/** Stores and starts a schedule, and tells the channel (if the channel refuses our message, nothing is kept). */
export async function createSchedule(deps: ListenerDeps, input: NewSchedule): Promise<void> {
  const schedule: Schedule = {
    id: `sch_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`,
    scope: input.teamId,
    channelId: input.channelId,
    createdBy: input.userId,
    createdAt: deps.now().toISOString(),
    cadence: input.cadence,
    cron: input.cron,
    timezone: deps.scheduleTimezone,
    request: input.request,
    ...(input.intent ? { intent: input.intent } : {}),
  };
  const poster = createPoster(input.client, deps.scrub, deps.logger);
  if (!(await deps.workspace.schedules.add(schedule))) {
    await input.notifyUser(
      renderNotice(
        `This workspace already has ${MAX_SCHEDULES_PER_WORKSPACE} digests; cancel one (\`/leads schedules\`) before adding another.`,
      ),
    );
    return;
  }
  try {
    await poster.post(input.channelId, renderScheduleCreated(schedule, nextRunOf(schedule, deps.now())));
  } catch (error) {
    // A channel that refuses this message would refuse every digest too: the schedule is not kept.
    await deps.workspace.schedules.remove(schedule.scope, schedule.id);
    await input.notifyUser(renderNotice(cannotPost(slackErrorCode(error)))).catch(() => undefined);
    return;
  }
  await deps.scheduler.add(schedule);
  deps.logger.info(
    { scheduleId: schedule.id, teamId: schedule.scope, channelId: schedule.channelId, cron: schedule.cron },
    'digest scheduled',
  );
}

/** `/leads schedules`: this channel's schedules with Cancel buttons, privately. */
export async function listSchedules(
  deps: ListenerDeps,
  input: { teamId: string; channelId: string; notifyUser: (message: SlackMessage) => Promise<void> },
): Promise<void> {
  const all = await deps.workspace.schedules.list(input.teamId);
  const here = all.filter((s) => s.channelId === input.channelId);
  await input.notifyUser(renderScheduleList(here, all.length - here.length, (s) => nextRunOf(s, deps.now())));
}

/** Cancel (in /leads schedules or on App Home): only this workspace's schedule; the channel is told who cancelled it. */
export async function cancelSchedule(deps: ListenerDeps, ctx: WorkspaceActionContext): Promise<void> {
  const removed = await deps.workspace.schedules.remove(ctx.teamId, ctx.value);
  if (!removed) {
    deps.logger.warn({ teamId: ctx.teamId, scheduleId: ctx.value }, 'cancel named no schedule of this workspace');
    if (ctx.channelId)
      await ctx.poster.tellUser(
        ctx.channelId,
        ctx.userId,
        renderNotice('That digest is not scheduled in this workspace (it may have been cancelled already).'),
      );
  } else {
    await deps.scheduler.remove(removed);
    await ctx.poster
      .post(removed.channelId, renderScheduleCancelled(removed, ctx.userId))
      .catch((error: unknown) =>
        deps.logger.warn(
          { scheduleId: removed.id, err: slackErrorCode(error) },
          'could not tell the channel its digest was cancelled',
        ),
      );
    if (ctx.channelId && ctx.channelId !== removed.channelId)
      await ctx.poster.tellUser(ctx.channelId, ctx.userId, renderScheduleCancelled(removed, ctx.userId));
  }
  if (ctx.onHome) await publishHome(deps, { client: ctx.client, teamId: ctx.teamId, userId: ctx.userId });
}
