import type { ListenerDeps } from '../../deps.js';
import { openReasonForm } from '../../workflows/team-feedback.js';
import { withWorkspaceAction } from '../../workflows/with-workspace-action.js';

/** Add a reason: opens the short form for a mark of the clicking workspace. */
export function feedbackReasonButton(deps: ListenerDeps) {
  return withWorkspaceAction(deps, 'feedback reason', (ctx) => openReasonForm(deps, ctx));
}
