import type { OverflowAction } from '@slack/bolt';
import type { ListenerDeps } from '../../deps.js';
import { parseFeedbackChoice } from '../../blocks/lead-feedback.js';
import { recordFeedback } from '../../workflows/team-feedback.js';
import { withRunAccessOf } from '../../workflows/with-run-access.js';

/** A lead's "…" menu: after the ack, checks the run is this conversation's (as every button does), then records the mark. */
export function feedbackMenu(deps: ListenerDeps) {
  return withRunAccessOf<OverflowAction>(
    deps,
    'feedback',
    (action) => parseFeedbackChoice(action.selected_option?.value)?.runId,
    (ctx) => recordFeedback(deps, ctx),
  );
}
