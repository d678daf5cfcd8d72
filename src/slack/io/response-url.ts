import type { Scrubber } from '../../secrets.js';
import type { SlackMessage } from '../blocks/message.js';
import { scrubDeep } from './poster.js';

/**
 * Answers a slash command through its response_url (valid for 30 minutes), for the one case where the channel
 * itself refuses our messages. Works from any process: a worker has no Bolt `respond`, only the URL.
 */
export async function respondEphemeral(responseUrl: string, message: SlackMessage, scrub: Scrubber): Promise<void> {
  const clean = scrubDeep(message, scrub);
  const res = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      response_type: 'ephemeral',
      replace_original: false,
      text: clean.text,
      blocks: clean.blocks,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
}
