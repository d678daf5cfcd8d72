import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION_IDS } from '../../blocks/ids.js';
import type { ListenerDeps } from '../../deps.js';
import { counted } from '../../io/delivery-metrics.js';
import { exportButton } from './export-button.js';
import { rescoreButton } from './rescore-button.js';
import { runAgainButton } from './run-again-button.js';

/** Maps the buttons (the result message's, and Run again on an interrupted run) to their handlers. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockButtonAction>({ type: 'block_actions', action_id: ACTION_IDS.rescore }, counted(deps.metrics, 'action', rescoreButton(deps)));
  app.action<BlockButtonAction>({ type: 'block_actions', action_id: ACTION_IDS.export }, counted(deps.metrics, 'action', exportButton(deps)));
  app.action<BlockButtonAction>({ type: 'block_actions', action_id: ACTION_IDS.runAgain }, counted(deps.metrics, 'action', runAgainButton(deps)));
}
