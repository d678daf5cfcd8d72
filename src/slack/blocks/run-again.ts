import type { ActionsBlock } from '@slack/types';
import { ACTION_IDS } from './ids.js';
import { SLACK_LIMITS } from './limits.js';

/** The Run again button under a run that did not finish (cut off, failed for good, no results); its value is the run id. */
export function runAgainActions(runId: string, blockId: string): ActionsBlock {
  if (runId.length > SLACK_LIMITS.buttonValue) throw new Error('run id too long for a button value');
  return {
    type: 'actions',
    block_id: blockId,
    elements: [
      {
        type: 'button',
        action_id: ACTION_IDS.runAgain,
        text: { type: 'plain_text', text: 'Run again' },
        value: runId,
        style: 'primary',
      },
    ],
  };
}
