import type { webApi } from '@slack/bolt';
import type { Scrubber } from '../../secrets.js';
import type { SlackMessage } from '../blocks/message.js';
import type { LineLogger } from '../../logger.js';

/** Every message we send goes through here, so secrets are scrubbed from all of them in one place. */
export interface Poster {
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<string>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  ephemeral(channel: string, user: string, message: SlackMessage, threadTs?: string): Promise<void>;
  /** Like `ephemeral`, but a failure is only logged: used for notices that must not mask the real outcome. */
  tellUser(channel: string, user: string, message: SlackMessage, threadTs?: string): Promise<void>;
}

/** Binds a WebClient (with its retries and 429 handling) to the scrubber. */
export function createPoster(client: webApi.WebClient, scrub: Scrubber, logger: Pick<LineLogger, 'warn'>): Poster {
  const clean = (message: SlackMessage) => scrubDeep(message, scrub);
  const poster: Poster = {
    async post(channel, message, threadTs) {
      const m = clean(message);
      const res = await client.chat.postMessage({
        channel,
        text: m.text,
        blocks: m.blocks,
        ...(m.attachments ? { attachments: m.attachments } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      if (!res.ts) throw new Error('chat.postMessage returned no ts');
      return res.ts;
    },
    async update(channel, ts, message) {
      const m = clean(message);
      await client.chat.update({ channel, ts, text: m.text, blocks: m.blocks, attachments: m.attachments ?? [] });
    },
    async ephemeral(channel, user, message, threadTs) {
      const m = clean(message);
      await client.chat.postEphemeral({
        channel,
        user,
        text: m.text,
        blocks: m.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    },
    async tellUser(channel, user, message, threadTs) {
      await poster
        .ephemeral(channel, user, message, threadTs)
        .catch((error: unknown) =>
          logger.warn({ channel, err: slackErrorCode(error) }, 'could not send an ephemeral notice'),
        );
    },
  };
  return poster;
}

/** Applies the scrubber to every string in a JSON-like value. */
export function scrubDeep<T>(value: T, scrub: Scrubber): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => scrubDeep(v, scrub)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, scrub)])) as T;
  }
  return value;
}

/** Slack's error code ("not_in_channel", "ratelimited") or the error's message. */
export function slackErrorCode(error: unknown): string {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (data && typeof data.error === 'string') return data.error;
  return error instanceof Error ? error.message : String(error);
}
