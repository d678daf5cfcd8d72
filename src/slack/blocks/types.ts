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

export interface Button {
  type: 'button';
  action_id: string;
  text: PlainText;
  value: string;
  style?: 'primary' | 'danger';
}

export type Block =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: Mrkdwn }
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

/** The button ids the actions listeners map to handlers. */
export const ACTION_IDS = { rescore: 'leads_rescore', export: 'leads_export_csv', runAgain: 'leads_run_again' } as const;

/** The modal's callback id the views listener maps to its handler. */
export const VIEW_IDS = { rescore: 'leads_rescore_modal' } as const;
