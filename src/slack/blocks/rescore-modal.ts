import { fit } from './escape.js';
import { SLACK_LIMITS } from './limits.js';
import type { ModalView } from '@slack/types';
import { VIEW_IDS } from './ids.js';

/** What the modal carries back to the submission handler (checked again there, never trusted). */
export interface RescoreMetadata {
  runId: string;
  channelId: string;
}

/** Ids the submission handler reads the note back by. */
export const NOTE_BLOCK_ID = 'rescore_note';
export const NOTE_ACTION_ID = 'note';
export const NOTE_MAX_LENGTH = 500;

/** The Re-score modal: one optional note that steers scoring. */
export function renderRescoreModal(meta: RescoreMetadata, leadCount: number): ModalView {
  const metadata = JSON.stringify(meta);
  if (metadata.length > SLACK_LIMITS.privateMetadata) throw new Error('re-score metadata too long');
  return {
    type: 'modal',
    callback_id: VIEW_IDS.rescore,
    private_metadata: metadata,
    title: { type: 'plain_text', text: fit('Re-score leads', SLACK_LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: 'Re-score' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Scores the same ${leadCount} companies again, without a new web search. Add a note to steer it, or leave it empty.`,
        },
      },
      {
        type: 'input',
        block_id: NOTE_BLOCK_ID,
        optional: true,
        label: { type: 'plain_text', text: 'Note (optional)' },
        hint: { type: 'plain_text', text: 'For example: favour groups that just bought stores' },
        element: {
          type: 'plain_text_input',
          action_id: NOTE_ACTION_ID,
          multiline: true,
          max_length: NOTE_MAX_LENGTH,
          placeholder: { type: 'plain_text', text: 'favour groups that just bought stores' },
        },
      },
    ],
  };
}

/** Reads the metadata back; null when it is not ours (forged or garbled). */
export function parseRescoreMetadata(raw: string | undefined): RescoreMetadata | null {
  try {
    const value = JSON.parse(raw ?? '') as Partial<RescoreMetadata>;
    if (typeof value.runId === 'string' && typeof value.channelId === 'string')
      return { runId: value.runId, channelId: value.channelId };
  } catch {
    return null;
  }
  return null;
}
