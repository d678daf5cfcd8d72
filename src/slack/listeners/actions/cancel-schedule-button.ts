import type { ListenerDeps } from '../../deps.js';
import { cancelSchedule } from '../../workflows/schedule-digest.js';
import { withWorkspaceAction } from '../../workflows/with-workspace-action.js';

/** Cancel a digest (in /leads schedules or on App Home): only a schedule of the clicking workspace. */
export function cancelScheduleButton(deps: ListenerDeps) {
  return withWorkspaceAction(deps, 'cancel schedule', (ctx) => cancelSchedule(deps, ctx));
}
