// Reads the fake Slack's messages back as the thread a user would see.
import type { FakeMessage, FakeSlack } from '../../fakes/fake-slack.js';

export interface TableCellShape {
  type: string;
  text?: string;
  elements?: { elements: { type: string; text: string; url?: string }[] }[];
}

export interface ResultShape {
  message: FakeMessage;
  table: { type: 'table'; rows: TableCellShape[][]; column_settings?: unknown[] };
  buttons: { action_id: string; value: string; text: { text: string } }[];
}

/** The text a table cell shows (raw_text, or the link text of a rich_text cell). */
export function cellText(cell: TableCellShape): string {
  if (cell.type === 'raw_text') return cell.text ?? '';
  return (cell.elements ?? []).flatMap((s) => s.elements.map((e) => e.text)).join('');
}

/** Finds the parent, progress and result messages of the (single) thread in a channel. */
export function threadOf(fake: FakeSlack, channel = 'C0001') {
  const inChannel = fake.messages.filter((m) => m.channel === channel);
  const parent = inChannel.find((m) => !m.thread_ts);
  const replies = inChannel.filter((m) => parent && m.thread_ts === parent.ts);
  return { parent, replies, all: inChannel };
}

/** The result message with a table among messages, with its table and buttons. */
export function resultIn(messages: FakeMessage[]): ResultShape | undefined {
  for (const message of messages) {
    const attachments = message.attachments as { blocks?: { type: string }[] }[];
    const blocks = [...message.blocks, ...attachments.flatMap((a) => a.blocks ?? [])] as {
      type: string;
      elements?: unknown[];
    }[];
    const table = blocks.find((b) => b.type === 'table') as ResultShape['table'] | undefined;
    const actions = blocks.find((b) => b.type === 'actions');
    if (table || actions)
      return { message, table: table!, buttons: (actions?.elements ?? []) as ResultShape['buttons'] };
  }
  return undefined;
}
