// The Block Kit shapes we emit, declared here so that blocks/ depends on no Slack package.

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}

export interface RawTextCell {
  type: 'raw_text';
  text: string;
}

export interface RichTextLink {
  type: 'link';
  url: string;
  text: string;
}

export interface RichTextCell {
  type: 'rich_text';
  elements: { type: 'rich_text_section'; elements: (RichTextLink | { type: 'text'; text: string })[] }[];
}

export type TableCell = RawTextCell | RichTextCell;

export interface TableBlock {
  type: 'table';
  rows: TableCell[][];
  column_settings?: ({ align?: 'left' | 'center' | 'right'; is_wrapped?: boolean } | null)[];
}

/** Asks "are you sure?" before a button acts (cancelling a schedule). */
export interface ConfirmDialog {
  title: PlainText;
  text: Mrkdwn;
  confirm: PlainText;
  deny: PlainText;
  style?: 'primary' | 'danger';
}

export interface Button {
  type: 'button';
  action_id: string;
  text: PlainText;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmDialog;
}

/** A "…" menu: up to five choices, each carrying a value back to the handler. */
export interface Overflow {
  type: 'overflow';
  action_id: string;
  options: { text: PlainText; value: string }[];
}

export type Block =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; block_id?: string; text: Mrkdwn; accessory?: Button | Overflow }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'divider' }
  | { type: 'actions'; block_id?: string; elements: Button[] }
  | {
      type: 'input';
      block_id: string;
      optional?: boolean;
      label: PlainText;
      hint?: PlainText;
      element: {
        type: 'plain_text_input';
        action_id: string;
        multiline?: boolean;
        max_length?: number;
        placeholder?: PlainText;
      };
    }
  | TableBlock;

export interface Attachment {
  color?: string;
  blocks: Block[];
}

/** What chat.postMessage / chat.update receive: always a plain `text` fallback. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
  attachments?: Attachment[];
}

/** The App Home tab, as views.publish takes it. */
export interface HomeView {
  type: 'home';
  blocks: Block[];
}

/** The button and menu ids the actions listeners map to handlers. */
export const ACTION_IDS = {
  rescore: 'leads_rescore',
  export: 'leads_export_csv',
  runAgain: 'leads_run_again',
  feedback: 'leads_feedback',
  feedbackUndo: 'leads_feedback_undo',
  feedbackReason: 'leads_feedback_reason',
  showHidden: 'leads_show_hidden',
  hubspot: 'leads_send_hubspot',
  refresh: 'leads_refresh',
  cancelSchedule: 'leads_schedule_cancel',
} as const;

/** The modals' callback ids the views listener maps to handlers. */
export const VIEW_IDS = { rescore: 'leads_rescore_modal', feedbackReason: 'leads_feedback_reason_modal' } as const;
