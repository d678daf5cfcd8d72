import { escapeAndFit } from './escape.js';
import type { SlackMessage } from './message.js';

/** The ephemeral help for /leads; `problem` says why the request was not run. */
export function renderUsage(companyName: string, problem?: string): SlackMessage {
  const name = escapeAndFit(companyName, 80);
  const lines = [
    `*Find leads for ${name}*`,
    '• `/leads find customers [anything else]`: companies that could buy from us, e.g. `/leads find customers in Texas with 10+ rooftops`',
    '• `/leads find partners [anything else]`: companies to partner with, e.g. `/leads find partners lenders in Canada`',
    '• `/leads find both`: customers and partners in one list',
    '• `/leads <any request>`: e.g. `/leads RV dealer groups in the Midwest`',
    '• `@Leads <any request>` in a channel or a thread',
    '• `/leads schedule weekly customers [anything else]`: a digest in this channel (or `daily`, or a cron expression in quotes such as `"0 9 * * 1-5"`); each posts only new companies and what changed',
    "• `/leads schedules`: this channel's digests, with Cancel",
    '• `/leads help`: this message',
    "Results arrive in a thread: live progress, then a table of the best 10 with Re-score and Export CSV buttons, and a … menu on each lead to mark it (Good fit, Not a fit, Already a customer, Wrong company info). The Leads app's Home tab shows recent runs, digests and your team's marks.",
  ];
  const intro = problem ? `${escapeAndFit(problem, 300)}\n\n` : '';
  const text = `${intro}${lines.join('\n')}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
