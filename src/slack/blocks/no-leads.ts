import type { NoLeadsError } from '../../domain/types.js';
import { escapeAndFit } from './escape.js';
import { SLACK_LIMITS } from './limits.js';
import { ACTION_IDS } from './ids.js';
import type { SlackMessage } from './message.js';

/** Posted in the thread when a run ended with no company fit to show: the numbers, what to try, and Run again. */
export function renderNoLeads(error: NoLeadsError, runId: string): SlackMessage {
  if (runId.length > SLACK_LIMITS.buttonValue) throw new Error('run id too long for a button value');
  const text = `:mag: ${escapeAndFit(error.message, SLACK_LIMITS.sectionText - 10)}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Run \`${escapeAndFit(runId, 80)}\` finished without results.` }] },
      {
        type: 'actions',
        block_id: 'leads_no_results',
        elements: [{ type: 'button', action_id: ACTION_IDS.runAgain, text: { type: 'plain_text', text: 'Run again' }, value: runId, style: 'primary' }],
      },
    ],
  };
}
