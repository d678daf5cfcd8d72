import type {
  AllMiddlewareArgs,
  App,
  BlockButtonAction,
  BlockOverflowAction,
  OverflowAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { ACTION_IDS } from '../../blocks/ids.js';
import { parseFeedbackChoice } from '../../blocks/lead-feedback.js';
import type { ListenerDeps } from '../../deps.js';
import { counted, type CountedListener } from '../../io/delivery-metrics.js';
import { exportCsv } from '../../workflows/export-csv.js';
import { cancelSchedule } from '../../workflows/schedule-digest.js';
import { sendToHubspot } from '../../workflows/send-to-hubspot.js';
import { sendToSalesforce } from '../../workflows/send-to-salesforce.js';
import { openReasonForm, recordFeedback, showHidden, undoFeedback } from '../../workflows/team-feedback.js';
import { withRunAccess, withRunAccessOf } from '../../workflows/with-run-access.js';
import { withWorkspaceAction } from '../../workflows/with-workspace-action.js';
import { refreshButton } from './refresh-button.js';
import { rescoreButton } from './rescore-button.js';
import { runAgainButton } from './run-again-button.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * Maps the buttons and menus (a result's, a notice's, App Home's) to their handlers, each delivery counted. Every
 * handler acks first. A control on a run (its value names the run) acts only after the run is checked against the
 * clicking workspace and channel (`withRunAccess`); one on a workspace's own things (a mark, a schedule) looks its
 * id up in the clicking workspace only (`withWorkspaceAction`).
 */
export function register(app: App, deps: ListenerDeps): void {
  const button = (actionId: string, handler: CountedListener<ButtonArgs>) =>
    app.action<BlockButtonAction>(
      { type: 'block_actions', action_id: actionId },
      counted(deps.metrics, 'action', handler),
    );
  // On a run: start work, or act on its result.
  button(ACTION_IDS.rescore, rescoreButton(deps));
  button(ACTION_IDS.runAgain, runAgainButton(deps));
  button(ACTION_IDS.refresh, refreshButton(deps));
  button(
    ACTION_IDS.export,
    withRunAccess(deps, 'export', ({ client, run, userId, respond }) =>
      exportCsv(deps, { client, run, userId, respond }),
    ),
  );
  button(
    ACTION_IDS.hubspot,
    withRunAccess(deps, 'send to hubspot', (ctx) => sendToHubspot(deps, ctx)),
  );
  button(
    ACTION_IDS.salesforce,
    withRunAccess(deps, 'send to salesforce', (ctx) => sendToSalesforce(deps, ctx)),
  );
  // Lists, privately, the companies feedback kept out of the run.
  button(
    ACTION_IDS.showHidden,
    withRunAccess(deps, 'show hidden', (ctx) => showHidden(deps, ctx)),
  );
  // A lead's "…" menu: the mark names the run in its option value.
  app.action<BlockOverflowAction>(
    { type: 'block_actions', action_id: ACTION_IDS.feedback },
    counted(
      deps.metrics,
      'action',
      withRunAccessOf<OverflowAction>(
        deps,
        'feedback',
        (action) => parseFeedbackChoice(action.selected_option?.value)?.runId,
        (ctx) => recordFeedback(deps, ctx),
      ),
    ),
  );
  // On the workspace's own things, in a message or on App Home.
  button(
    ACTION_IDS.feedbackUndo,
    withWorkspaceAction(deps, 'undo feedback', (ctx) => undoFeedback(deps, ctx)),
  );
  button(
    ACTION_IDS.feedbackReason,
    withWorkspaceAction(deps, 'feedback reason', (ctx) => openReasonForm(deps, ctx)),
  );
  button(
    ACTION_IDS.cancelSchedule,
    withWorkspaceAction(deps, 'cancel schedule', (ctx) => cancelSchedule(deps, ctx)),
  );
}
