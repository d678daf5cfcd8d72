import type { LineLogger } from '../../logger.js';
import type { JobAttempt } from '../../queue/jobs.js';
import { renderNotice, renderParent } from '../blocks/thread.js';
import type { JobDeps, SlackClient } from '../deps.js';
import { slackErrorCode, type Poster } from '../io/poster.js';
import { respondEphemeral } from '../io/response-url.js';
import type { NewRunJob } from '../input/run-job.js';
import type { ActiveRun } from '../state/active-runs.js';
import { recordPosted } from './post-outcome.js';

/** Where a run job's thread is, or why there is none (the channel refused our first message). */
export type OpenedThread = { ok: true; threadTs: string } | { ok: false; reason: string };

/**
 * The thread a run job lives in: the one an earlier attempt opened (the job's ledger), the request's own (a
 * mention, Run again), or a new parent message, noted in the ledger before anything else is posted. When Slack
 * refuses the parent, the user is told through the slash command's response_url.
 */
export async function openThread(
  deps: Pick<JobDeps, 'scrub'> & { logger: Pick<LineLogger, 'warn'> },
  poster: Poster,
  job: NewRunJob,
  attempt: JobAttempt,
  title: string,
  storedThreadTs?: string,
): Promise<OpenedThread> {
  const known = attempt.ledger.threadTs ?? job.threadTs ?? storedThreadTs;
  if (known) return { ok: true, threadTs: known };
  let threadTs: string;
  try {
    threadTs = await poster.post(job.channelId, renderParent(title, job.userId, job.text));
  } catch (error) {
    const code = slackErrorCode(error);
    deps.logger.warn({ channelId: job.channelId, err: code }, 'could not post the parent message');
    if (job.responseUrl)
      await respondEphemeral(job.responseUrl, renderNotice(cannotPost(code)), deps.scrub).catch(() => undefined);
    return { ok: false, reason: `could not post in the channel (${code})` };
  }
  await recordPosted(attempt, 'threadTs', threadTs);
  return { ok: true, threadTs };
}

/** Fills in the thread's permalink for "already running" answers and App Home; the app_redirect link stands in until then. */
export async function rememberPermalink(
  deps: { client: SlackClient; active: JobDeps['active'] },
  active: ActiveRun,
): Promise<string | undefined> {
  if (!active.threadTs) return undefined;
  try {
    const res = await deps.client.chat.getPermalink({ channel: active.channelId, message_ts: active.threadTs });
    if (res.permalink) await deps.active.update({ ...active, permalink: res.permalink });
    return res.permalink;
  } catch {
    // The app_redirect link is the fallback.
    return undefined;
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
