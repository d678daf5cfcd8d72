import type { PushOutcome } from '../../crm/hubspot-client.js';
import { escapeAndFit, mrkdwnLink } from './escape.js';
import { plural, mentionUser } from './labels.js';
import { SLACK_LIMITS } from './limits.js';
import type { SlackMessage } from './message.js';

/** Posted in the thread while leads go to HubSpot; replaced by the summary or the failure. */
export function renderHubspotSending(count: number, userId: string): SlackMessage {
  const text = `:outbox_tray: ${mentionUser(userId)} is sending ${plural(count, 'lead')} to HubSpot…`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** The thread's summary of a send: how many companies were created and updated, each linked to its record. */
export function renderHubspotSent(outcome: PushOutcome, userId: string): SlackMessage {
  const created = outcome.companies.filter((c) => c.action === 'created').length;
  const updated = outcome.companies.length - created;
  const notes = outcome.notesError
    ? `The companies are in HubSpot, but their notes are not: ${escapeAndFit(outcome.notesError, 600)}`
    : `Each has a note with its fit score, rationale and sources.`;
  const head = `:white_check_mark: ${mentionUser(userId)} sent ${plural(outcome.companies.length, 'lead')} to HubSpot: ${plural(created, 'new company', 'new companies')}, ${plural(updated, 'existing one')} updated (found by website domain). ${notes}`;
  const lines = outcome.companies.map(
    (c) => `• ${c.url ? mrkdwnLink(c.url, c.lead, 100) : escapeAndFit(c.lead, 100)} (${c.action})`,
  );
  let list = lines.join('\n');
  if (list.length > SLACK_LIMITS.sectionText)
    list = `${list.slice(0, SLACK_LIMITS.sectionText - 2).replace(/\n[^\n]*$/, '')}\n…`;
  return {
    text: head.replace(/^:white_check_mark: /, ''),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: head } },
      ...(list ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: list } }] : []),
    ],
  };
}

/** A send that failed, in HubSpot's plain words (bad token, rate limit, missing property…). */
export function renderHubspotFailed(reason: string): SlackMessage {
  const text = `:warning: Sending to HubSpot failed: ${escapeAndFit(reason, 1500)}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
