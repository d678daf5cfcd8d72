import type { SalesforceOutcome } from '../../crm/salesforce-client.js';
import { escapeAndFit, mrkdwnLink } from './escape.js';
import { plural, mentionUser } from './labels.js';
import { SLACK_LIMITS } from './limits.js';
import type { SlackMessage } from './message.js';

/** Posted in the thread while leads go to Salesforce; replaced by the summary or the failure. */
export function renderSalesforceSending(count: number, userId: string): SlackMessage {
  const text = `:outbox_tray: ${mentionUser(userId)} is sending ${plural(count, 'lead')} to Salesforce…`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

const TASK_WORDS = { added: 'task added', already: 'task already there', failed: 'no task' } as const;

/** The thread's summary of a send, as Salesforce holds it afterwards: accounts created and found (each linked), this
 * run's task on each, and what is missing and why. */
export function renderSalesforceSent(outcome: SalesforceOutcome, userId: string): SlackMessage {
  const companies = outcome.companies;
  const created = companies.filter((c) => c.account === 'created').length;
  const existing = companies.filter((c) => c.account === 'existing').length;
  const withTask = companies.filter((c) => c.task !== 'failed').length;
  const missing = companies.length - withTask;
  const mark = missing > 0 ? ':warning:' : ':white_check_mark:';
  const tasks =
    missing === 0
      ? 'Each account has a task with the fit score, rationale and sources.'
      : `${plural(missing, 'lead')} could not be completed; the reasons are below.`;
  const head = `${mark} ${mentionUser(userId)} sent ${plural(companies.length, 'lead')} to Salesforce: ${plural(created, 'new account')}, ${plural(existing, 'existing one')} (found by website domain). ${tasks}`;
  const lines = companies.map((c) => {
    const name = c.url ? mrkdwnLink(c.url, c.lead, 100) : escapeAndFit(c.lead, 100);
    const state =
      c.account === 'failed'
        ? 'not sent'
        : `${c.account === 'created' ? 'new account' : 'existing account'}, ${TASK_WORDS[c.task]}`;
    return `• ${name} (${state})${c.problem ? `: ${escapeAndFit(c.problem, 300)}` : ''}`;
  });
  let list = lines.join('\n');
  if (list.length > SLACK_LIMITS.sectionText)
    list = `${list.slice(0, SLACK_LIMITS.sectionText - 2).replace(/\n[^\n]*$/, '')}\n…`;
  return {
    text: head.replace(/^:\w+: /, ''),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: head } },
      ...(list ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: list } }] : []),
    ],
  };
}

/** A send that failed as a whole, in Salesforce's plain words (login refused, API limit, no access…). */
export function renderSalesforceFailed(reason: string): SlackMessage {
  const text = `:warning: Sending to Salesforce failed: ${escapeAndFit(reason, 1500)}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
