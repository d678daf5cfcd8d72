// Block Kit shapes come from @slack/types, the types the Slack client checks its arguments against; this file
// only adds the envelope our builders return.
import type { KnownBlock } from '@slack/types';

/** Blocks shown under the message body; the only place Slack accepts a `table` block. */
export interface Attachment {
  color?: string;
  blocks: KnownBlock[];
}

/** What chat.postMessage / chat.update receive: always a plain `text` fallback. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
  attachments?: Attachment[];
}
