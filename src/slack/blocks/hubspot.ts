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

/** The thread's summary of a send, as HubSpot holds it afterwards: companies created and updated (each linked to its
 * record), notes added or found from an earlier press, and anything HubSpot did not confirm. */
export function renderHubspotSent(outcome: PushOutcome, userId: string): SlackMessage {
  const missing = outcome.unconfirmed ?? [];
  if (outcome.companies.length === 0 && missing.length > 0) {
    const text = `:warning: ${mentionUser(userId)} sent ${plural(missing.length, 'lead')} to HubSpot, but HubSpot did not confirm whether it holds them (${escapeAndFit(outcome.unconfirmedReason ?? 'no answer', 300)}). Press Send again: Leads first looks up what HubSpot holds, so nothing is created twice.`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const created = outcome.companies.filter((c) => c.action === 'created').length;
  const updated = outcome.companies.length - created;
  const already = outcome.notesAlready ?? 0;
  const notes = outcome.notesError
    ? `The companies are in HubSpot, but not all their notes: ${escapeAndFit(outcome.notesError, 600)}`
    : already > 0 && outcome.notesAdded === 0
      ? `Their notes were already there from an earlier send of this list; none was added twice.`
      : already > 0
        ? `Each has a note with its fit score, rationale and sources (${plural(already, 'was', 'were')} already there from an earlier send).`
        : `Each has a note with its fit score, rationale and sources.`;
  const unconfirmed =
    missing.length > 0
      ? ` HubSpot did not confirm ${plural(missing.length, 'more lead')} (${escapeAndFit(missing.join(', '), 300)}): press Send again, nothing is created twice.`
      : '';
  const head = `:white_check_mark: ${mentionUser(userId)} sent ${plural(outcome.companies.length, 'lead')} to HubSpot: ${plural(created, 'new company', 'new companies')}, ${plural(updated, 'existing one')} updated (found by website domain). ${notes}${unconfirmed}`;
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
