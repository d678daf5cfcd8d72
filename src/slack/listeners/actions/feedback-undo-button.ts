import type { ListenerDeps } from '../../deps.js';
import { undoFeedback } from '../../workflows/team-feedback.js';
import { withWorkspaceAction } from '../../workflows/with-workspace-action.js';

/** Undo a mark (after marking, under Show hidden, or on App Home): only a mark of the clicking workspace. */
export function feedbackUndoButton(deps: ListenerDeps) {
  return withWorkspaceAction(deps, 'undo feedback', (ctx) => undoFeedback(deps, ctx));
}
