import { FEEDBACK_LABELS, MAX_REASON_CHARS, type FeedbackEntry, type HiddenCompany } from '../../domain/feedback.js';
import { escapeAndFit, fit } from './escape.js';
import { plural, slackDate, mentionUser } from './labels.js';
import { SLACK_LIMITS } from './limits.js';
import type { Button, KnownBlock, ModalView } from '@slack/types';
import { ACTION_IDS, VIEW_IDS } from './ids.js';
import type { SlackMessage } from './message.js';

/** Ids the reason submission reads the text back by. */
export const REASON_BLOCK_ID = 'feedback_reason';
export const REASON_ACTION_ID = 'reason';

const EFFECT: Record<FeedbackEntry['kind'], string> = {
  good_fit: 'Your team’s next rankings will favour companies like it.',
  not_a_fit: 'It will be left out of this workspace’s next runs, and companies like it will rank lower.',
  already_customer: 'It will be left out of this workspace’s next runs.',
  wrong_info: 'Noted for your team; the company stays in the results.',
};

function undoButton(entryId: string, label = 'Undo'): Button {
  return {
    type: 'button',
    action_id: ACTION_IDS.feedbackUndo,
    text: { type: 'plain_text', text: label },
    value: entryId,
  };
}

/** The private answer to a mark: what it does from now on, with Add a reason and Undo. */
export function renderFeedbackSaved(entry: FeedbackEntry): SlackMessage {
  const text = `Marked *${escapeAndFit(entry.company.name, 100)}* as *${FEEDBACK_LABELS[entry.kind]}*. ${EFFECT[entry.kind]}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        block_id: 'feedback_saved',
        elements: [
          {
            type: 'button',
            action_id: ACTION_IDS.feedbackReason,
            text: { type: 'plain_text', text: entry.reason ? 'Change the reason' : 'Add a reason' },
            value: entry.id,
          },
          undoButton(entry.id),
        ],
      },
    ],
  };
}

/** The private answer to a saved reason. */
export function renderReasonSaved(entry: FeedbackEntry): SlackMessage {
  const because = entry.reason ? ` because “${escapeAndFit(entry.reason, MAX_REASON_CHARS)}”` : ' (reason cleared)';
  const text = `Saved: *${escapeAndFit(entry.company.name, 100)}* is *${FEEDBACK_LABELS[entry.kind]}*${because}. The next ranking takes it into account.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** The private answer to Undo. */
export function renderFeedbackUndone(entry: FeedbackEntry): SlackMessage {
  const back =
    entry.kind === 'already_customer' || entry.kind === 'not_a_fit'
      ? ' It can appear in this workspace’s runs again.'
      : '';
  const text = `Removed the mark *${FEEDBACK_LABELS[entry.kind]}* on *${escapeAndFit(entry.company.name, 100)}*.${back}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** "Show hidden": the companies feedback kept out of a run, who marked them when, each with Undo while the mark stands. */
export function renderHiddenList(hidden: readonly HiddenCompany[], standing: ReadonlySet<string>): SlackMessage {
  const title = `${plural(hidden.length, 'company', 'companies')} hidden by your team's feedback`;
  const room = SLACK_LIMITS.blocksPerMessage - 2;
  const shown = hidden.slice(0, room);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } }];
  for (const company of shown) {
    const site = company.domain ? ` (${escapeAndFit(company.domain, 80)})` : '';
    const line = `*${escapeAndFit(company.name, 100)}*${site}: ${FEEDBACK_LABELS[company.kind]}, marked by ${mentionUser(company.userId)} ${slackDate(new Date(company.at), '{date_short_pretty}')}`;
    blocks.push({
      type: 'section',
      block_id: `hidden_${company.entryId}`.slice(0, 255),
      text: { type: 'mrkdwn', text: standing.has(company.entryId) ? line : `${line} (since undone)` },
      ...(standing.has(company.entryId) ? { accessory: undoButton(company.entryId) } : {}),
    });
  }
  if (hidden.length > shown.length)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${hidden.length - shown.length} more; App Home lists every mark.` }],
    });
  return { text: title, blocks };
}

/** The modal for a mark's short reason (it reaches the scoring prompt as the team's words, inside a data block). */
export function renderReasonModal(meta: { entryId: string; channelId?: string }, entry: FeedbackEntry): ModalView {
  const metadata = JSON.stringify(meta);
  if (metadata.length > SLACK_LIMITS.privateMetadata) throw new Error('feedback metadata too long');
  return {
    type: 'modal',
    callback_id: VIEW_IDS.feedbackReason,
    private_metadata: metadata,
    title: { type: 'plain_text', text: fit('Why this mark?', SLACK_LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${escapeAndFit(entry.company.name, 100)}*: ${FEEDBACK_LABELS[entry.kind]}. A short reason helps the next ranking tell similar companies apart.`,
        },
      },
      {
        type: 'input',
        block_id: REASON_BLOCK_ID,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: REASON_ACTION_ID,
          max_length: MAX_REASON_CHARS,
          placeholder: { type: 'plain_text', text: 'e.g. single-point store, too small for a DMS switch' },
        },
      },
    ],
  };
}

/** Reads the reason modal's metadata back; null when it is not ours. */
export function parseReasonMetadata(raw: string | undefined): { entryId: string; channelId?: string } | null {
  try {
    const value = JSON.parse(raw ?? '') as { entryId?: unknown; channelId?: unknown };
    if (typeof value.entryId !== 'string') return null;
    return { entryId: value.entryId, ...(typeof value.channelId === 'string' ? { channelId: value.channelId } : {}) };
  } catch {
    return null;
  }
}
