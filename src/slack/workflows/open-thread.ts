import type { IntentKind } from '../../domain/types.js';
import { renderNotice, renderParent } from '../blocks/thread.js';
import type { SlackMessage } from '../blocks/message.js';
import type { LineLogger } from '../../logger.js';
import type { SlackClient } from '../deps.js';
import { slackErrorCode, type Poster } from '../io/poster.js';
import type { ActiveRun } from '../state/active-runs.js';

/** Who asked, where, and what: everything a run in Slack needs besides the deps. */
export interface RunInThreadRequest {
  client: SlackClient;
  teamId: string;
  channelId: string;
  userId: string;
  text: string;
  intent?: IntentKind;
  /** An existing thread (a mention); without it a parent message is posted first. */
  threadTs?: string;
  /** Reaches the user when the channel refuses our messages (a slash command's response_url). */
  notifyUser?: (message: SlackMessage) => Promise<void>;
  /** Search and ask the model again rather than use caches (Refresh). */
  fresh?: boolean;
  /** False when the request must run even if a scheduled result could answer it (Refresh, Run again). */
  instant?: boolean;
}

/** The thread the run lives in: the mention's, or a new parent message; undefined (user told) when Slack refuses. */
export async function openThread(
  deps: { logger: Pick<LineLogger, 'warn'> },
  poster: Poster,
  request: RunInThreadRequest,
  active: ActiveRun,
  title: string,
): Promise<string | undefined> {
  let threadTs = request.threadTs;
  if (!threadTs) {
    try {
      threadTs = await poster.post(request.channelId, renderParent(title, request.userId, request.text));
    } catch (error) {
      const code = slackErrorCode(error);
      deps.logger.warn({ channelId: request.channelId, err: code }, 'could not post the parent message');
      await request.notifyUser?.(renderNotice(cannotPost(code))).catch(() => undefined);
      return undefined;
    }
  }
  active.threadTs = threadTs;
  void rememberPermalink(request.client, active, request.channelId, threadTs);
  return threadTs;
}

/** Fills in the thread's permalink for "already running" answers and App Home; the app_redirect link stands in until then. */
export async function rememberPermalink(client: SlackClient, active: ActiveRun, channel: string, ts: string): Promise<void> {
  try {
    const res = await client.chat.getPermalink({ channel, message_ts: ts });
    if (res.permalink) active.permalink = res.permalink;
  } catch {
    // The app_redirect link is the fallback.
  }
}

/** Why a conversation refused our first message, and what to do, in plain words. */
export function cannotPost(code: string): string {
  if (code === 'not_in_channel' || code === 'channel_not_found') {
    return 'I can’t post in this conversation. Invite me first (`/invite @Leads`), then ask again.';
  }
  if (code === 'is_archived') return 'This channel is archived, so I can’t post the results here.';
  return `I couldn’t start a thread here (Slack said: ${code}). Try again in a minute.`;
}
