import type { NoLeadsError } from '../../domain/types.js';
import { escapeAndFit } from './escape.js';
import { SLACK_LIMITS } from './limits.js';
import { runAgainActions } from './run-again.js';
import type { SlackMessage } from './message.js';

/** Posted in the thread when a run ended with no company fit to show: the numbers, what to try, and Run again. */
export function renderNoLeads(error: NoLeadsError, runId: string): SlackMessage {
  const text = `:mag: ${escapeAndFit(error.message, SLACK_LIMITS.sectionText - 10)}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Run \`${escapeAndFit(runId, 80)}\` finished without results.` }],
      },
      runAgainActions(runId, 'leads_no_results'),
    ],
  };
}
