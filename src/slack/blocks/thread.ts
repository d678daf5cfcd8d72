import { escapeAndFit, mrkdwnLink } from './escape.js';
import { collapseWhitespace } from '../../domain/text.js';
import { renderActions } from './leads-table.js';
import type { SlackMessage } from './message.js';

/** The parent message every reply threads under ("Finding customers for AxleWave… requested by @ana"). */
export function renderParent(title: string, userId: string, request: string): SlackMessage {
  const who = /^[UW][A-Z0-9]{2,20}$/.test(userId) ? `<@${userId}>` : 'someone';
  const text = `${escapeAndFit(title, 200)}… requested by ${who}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:mag: *${escapeAndFit(title, 200)}…* requested by ${who}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `“${escapeAndFit(collapseWhitespace(request), 500)}”` }] },
    ],
  };
}

/** The reply to a second request while the first is still running, linking to its thread. */
export function renderAlreadyRunning(link: string): SlackMessage {
  const text = `Your previous request is still running. Follow it in ${mrkdwnLink(link, 'its thread')}; you can ask again once it has finished.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** A short plain message (refusals, notices), escaped. */
export function renderNotice(message: string): SlackMessage {
  const text = escapeAndFit(message, 2000);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** Shown in the thread when a finished run's table could not be posted. */
export function renderResultUnavailable(runId: string, reason: string): SlackMessage {
  const notice = renderNotice(
    `The leads are ready and saved (run ${runId}), but Slack did not accept the message with the table (${reason}). Export CSV still works.`,
  );
  return { text: notice.text, blocks: [...notice.blocks, renderActions(runId)] };
}

/** Why a conversation refused our first message, and what to do, in plain words. */
export function cannotPost(code: string): string {
  if (code === 'not_in_channel' || code === 'channel_not_found') {
    return 'I can’t post in this conversation. Invite me first (`/invite @Leads`), then ask again.';
  }
  if (code === 'is_archived') return 'This channel is archived, so I can’t post the results here.';
  return `I couldn’t start a thread here (Slack said: ${code}). Try again in a minute.`;
}
