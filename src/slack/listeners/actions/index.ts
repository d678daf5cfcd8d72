import type { App, BlockButtonAction, BlockOverflowAction } from '@slack/bolt';
import { ACTION_IDS } from '../../blocks/ids.js';
import type { ListenerDeps } from '../../deps.js';
import { counted, type CountedListener } from '../../io/delivery-metrics.js';
import type { SlackActionMiddlewareArgs, AllMiddlewareArgs } from '@slack/bolt';
import { cancelScheduleButton } from './cancel-schedule-button.js';
import { exportButton } from './export-button.js';
import { feedbackMenu } from './feedback-menu.js';
import { feedbackReasonButton } from './feedback-reason-button.js';
import { feedbackUndoButton } from './feedback-undo-button.js';
import { hubspotButton } from './hubspot-button.js';
import { salesforceButton } from './salesforce-button.js';
import { refreshButton } from './refresh-button.js';
import { rescoreButton } from './rescore-button.js';
import { runAgainButton } from './run-again-button.js';
import { showHiddenButton } from './show-hidden-button.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Maps the buttons and menus (a result's, a notice's, App Home's) to their handlers, each delivery counted. */
export function register(app: App, deps: ListenerDeps): void {
  const button = (actionId: string, handler: CountedListener<ButtonArgs>) =>
    app.action<BlockButtonAction>(
      { type: 'block_actions', action_id: actionId },
      counted(deps.metrics, 'action', handler),
    );
  button(ACTION_IDS.rescore, rescoreButton(deps));
  button(ACTION_IDS.export, exportButton(deps));
  button(ACTION_IDS.runAgain, runAgainButton(deps));
  button(ACTION_IDS.hubspot, hubspotButton(deps));
  button(ACTION_IDS.salesforce, salesforceButton(deps));
  button(ACTION_IDS.refresh, refreshButton(deps));
  button(ACTION_IDS.showHidden, showHiddenButton(deps));
  button(ACTION_IDS.feedbackUndo, feedbackUndoButton(deps));
  button(ACTION_IDS.feedbackReason, feedbackReasonButton(deps));
  button(ACTION_IDS.cancelSchedule, cancelScheduleButton(deps));
  app.action<BlockOverflowAction>(
    { type: 'block_actions', action_id: ACTION_IDS.feedback },
    counted(deps.metrics, 'action', feedbackMenu(deps)),
  );
}
