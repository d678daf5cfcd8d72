import { SLACK_LIMITS } from './limits.js';
import { ACTION_IDS } from './types.js';

/** The Run again button under a run that did not finish (cut off, failed for good, no results); its value is the run id. */
export function runAgainActions(runId: string, blockId: string) {
  if (runId.length > SLACK_LIMITS.buttonValue) throw new Error('run id too long for a button value');
  return {
    type: 'actions' as const,
    block_id: blockId,
    elements: [{ type: 'button' as const, action_id: ACTION_IDS.runAgain, text: { type: 'plain_text' as const, text: 'Run again' }, value: runId, style: 'primary' as const }],
  };
}
