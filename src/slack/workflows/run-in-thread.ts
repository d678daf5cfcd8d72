import { NoLeadsError, type IntentKind, type Stage } from '../../domain/types.js';
import { linkToRun, type ActiveRun } from '../state/active-runs.js';
import { describeFailure, renderFailure } from '../blocks/errors.js';
import { intentNoun } from '../blocks/labels.js';
import { renderAlreadyRunning, renderNotice, renderParent } from '../blocks/thread.js';
import type { SlackMessage } from '../blocks/message.js';
import type { ListenerDeps, SlackClient } from '../deps.js';
import { createPoster, slackErrorCode } from '../io/poster.js';
import { postResult, reportNoLeads } from './post-result.js';
import { startProgressTracker } from './progress-tracker.js';
import { runLog } from './run-log.js';
import { newRunId } from '../../domain/run-id.js';

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
}

export type ClaimResult = { ok: true; active: ActiveRun } | { ok: false; busy: SlackMessage };

/** Registers the user's run synchronously, so a second request arriving a moment later sees it.
 * A re-score claims with the stored run's id and thread; a new run gets a fresh id. */
export function claimRun(
  deps: Pick<ListenerDeps, 'active'>,
  request: Pick<RunInThreadRequest, 'teamId' | 'userId' | 'channelId' | 'threadTs'>,
  runId: string = newRunId(),
): ClaimResult {
  const claimed = deps.active.claim({ runId, teamId: request.teamId, userId: request.userId, channelId: request.channelId, threadTs: request.threadTs });
  if (claimed.ok) return { ok: true, active: claimed.run };
  return { ok: false, busy: renderAlreadyRunning(linkToRun(claimed.running)) };
}

/** The "already running" answer when this user has a run in progress, without claiming anything. */
export function alreadyRunning(deps: Pick<ListenerDeps, 'active'>, teamId: string, userId: string): SlackMessage | undefined {
  const running = deps.active.runningFor(teamId, userId);
  return running ? renderAlreadyRunning(linkToRun(running)) : undefined;
}

/** Starts the run in the background once `acked` settles: the handler returns at once and no work precedes the ack. */
export function startRunInThread(deps: ListenerDeps, request: RunInThreadRequest, active: ActiveRun, acked: Promise<unknown> = Promise.resolve()): void {
  deps.tasks.run(`run ${active.runId}`, async () => {
    try {
      await acked;
      await runInThread(deps, request, active);
    } finally {
      deps.active.release(active);
    }
  });
}

async function runInThread(deps: ListenerDeps, request: RunInThreadRequest, active: ActiveRun): Promise<void> {
  const { channelId, teamId, userId } = request;
  let stage: Stage = 'intent';
  const log = runLog(deps.logger, { runId: active.runId, teamId }, () => stage);
  const poster = createPoster(request.client, deps.scrub, log);
  const title = `Finding ${intentNoun(request.intent)} for ${deps.companyName}`;
  let threadTs = request.threadTs;
  if (!threadTs) {
    try {
      threadTs = await poster.post(channelId, renderParent(title, userId, request.text));
    } catch (error) {
      const code = slackErrorCode(error);
      log.warn({ channelId, err: code }, 'could not post the parent message');
      await request.notifyUser?.(renderNotice(cannotPost(code))).catch(() => undefined);
      return;
    }
  }
  active.threadTs = threadTs;
  void rememberPermalink(request.client, active, channelId, threadTs);
  const where = { channelId, threadTs };
  const progress = await startProgressTracker({ ...deps, logger: log }, poster, where, title);
  try {
    const doc = await deps.orchestrator.run({
      text: request.text,
      scope: teamId,
      runId: active.runId,
      origin: { kind: 'slack', teamId, channelId, userId, threadTs, ...(progress.ts ? { progressTs: progress.ts } : {}) },
      onProgress: (event) => {
        stage = event.stage;
        progress.onEvent(event);
      },
    });
    await progress.complete(doc.stats.stageMs);
    await postResult({ ...deps, logger: log }, poster, where, doc);
  } catch (error) {
    // The orchestrator has logged the run's end with its reason; what is left is telling the thread.
    stage = 'failed';
    if (error instanceof NoLeadsError) {
      await reportNoLeads({ logger: log }, poster, where, progress, error);
      return;
    }
    await progress.fail(describeFailure(error));
    await poster.post(channelId, renderFailure(error, { runId: active.runId }), threadTs).catch((postError: unknown) =>
      log.error({ err: slackErrorCode(postError) }, 'could not post the failure'),
    );
  }
}

/** Fills in the thread's permalink for "already running" answers; the app_redirect link stands in until then. */
export async function rememberPermalink(client: SlackClient, active: ActiveRun, channel: string, ts: string): Promise<void> {
  try {
    const res = await client.chat.getPermalink({ channel, message_ts: ts });
    if (res.permalink) active.permalink = res.permalink;
  } catch {
    // The app_redirect link is the fallback.
  }
}

function cannotPost(code: string): string {
  if (code === 'not_in_channel' || code === 'channel_not_found') {
    return 'I can’t post in this conversation. Invite me first (`/invite @Leads`), then ask again.';
  }
  if (code === 'is_archived') return 'This channel is archived, so I can’t post the results here.';
  return `I couldn’t start a thread here (Slack said: ${code}). Try again in a minute.`;
}
