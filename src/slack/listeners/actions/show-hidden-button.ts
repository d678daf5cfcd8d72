import type { ListenerDeps } from '../../deps.js';
import { showHidden } from '../../workflows/team-feedback.js';
import { withRunAccess } from '../../workflows/with-run-access.js';

/** Show hidden: lists, privately, the companies feedback kept out of this conversation's run. */
export function showHiddenButton(deps: ListenerDeps) {
  return withRunAccess(deps, 'show hidden', (ctx) => showHidden(deps, ctx));
}
