import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION_IDS } from '../../blocks/types.js';
import type { ListenerDeps } from '../../deps.js';
import { exportButton } from './export-button.js';
import { rescoreButton } from './rescore-button.js';

/** Maps the result message's buttons to their handlers. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockButtonAction>({ type: 'block_actions', action_id: ACTION_IDS.rescore }, rescoreButton(deps));
  app.action<BlockButtonAction>({ type: 'block_actions', action_id: ACTION_IDS.export }, exportButton(deps));
}
