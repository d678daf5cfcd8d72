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
    '• `/leads help`: this message',
    'Results arrive in a thread: live progress, then a table of the best 10 with Re-score and Export CSV buttons.',
  ];
  const intro = problem ? `${escapeAndFit(problem, 300)}\n\n` : '';
  const text = `${intro}${lines.join('\n')}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
