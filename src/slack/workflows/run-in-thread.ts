import { newRunId } from '../../domain/run-id.js';
import { NoLeadsError, RunFailedError, type LeadsDocument, type Stage, type StoredRun } from '../../domain/types.js';
import type { JobAttempt, JobOutcome } from '../../queue/jobs.js';
import { describeFailure, renderFailure } from '../blocks/errors.js';
import { intentNoun } from '../blocks/labels.js';
import { renderAlreadyRunning, renderNotice, renderParent } from '../blocks/thread.js';
import type { SlackMessage } from '../blocks/message.js';
import type { JobDeps, ListenerDeps, SlackClient } from '../deps.js';
import { createPoster, slackErrorCode } from '../io/poster.js';
import { respondEphemeral } from '../io/response-url.js';
import { jobIdOf, type NewRunJob, type RunJob } from '../input/run-job.js';
import { linkToRun, type ActiveRun } from '../state/active-runs.js';
import { postOutcomeOnce } from './post-outcome.js';
import { postResult, reportNoLeads } from './post-result.js';
import { startProgressTracker } from './progress-tracker.js';
import { keepsClaim, MAX_STARTS } from './job-policy.js';
import { runLog } from './run-log.js';

export type ClaimResult = { ok: true; active: ActiveRun } | { ok: false; busy: SlackMessage };

/** Registers the user's run before the ack, so a second request (on any instance) sees it.
 * A re-score claims with the stored run's id and thread; a new run gets a fresh id. */
export async function claimRun(
  deps: Pick<ListenerDeps, 'active'>,
  request: { teamId: string; userId: string; channelId: string; threadTs?: string },
  runId: string = newRunId(),
): Promise<ClaimResult> {
  const claimed = await deps.active.claim({ runId, teamId: request.teamId, userId: request.userId, channelId: request.channelId, threadTs: request.threadTs });
  if (claimed.ok) return { ok: true, active: claimed.run };
  return { ok: false, busy: renderAlreadyRunning(linkToRun(claimed.running)) };
}

/** The "already running" answer when this user has a run in progress, without claiming anything. */
export async function alreadyRunning(deps: Pick<ListenerDeps, 'active'>, teamId: string, userId: string): Promise<SlackMessage | undefined> {
  const running = await deps.active.runningFor(teamId, userId);
  return running ? renderAlreadyRunning(linkToRun(running)) : undefined;
}

/**
 * Hands a claimed run or re-score to the job queue once `acked` settles, so no work precedes the ack. If the queue
 * cannot take it, the claim is released and the user told (`tell`), rather than left waiting for nothing.
 */
export function startJob(deps: ListenerDeps, job: RunJob, active: ActiveRun, tell: (message: SlackMessage) => Promise<void>, acked: Promise<unknown> = Promise.resolve()): void {
  deps.tasks.run(`enqueue ${jobIdOf(job)}`, async () => {
    await acked;
    try {
      await deps.jobs.enqueue(jobIdOf(job), job);
    } catch (error) {
      runLog(deps.logger, { runId: job.runId, teamId: job.teamId }, () => 'failed').error({ err: describeFailure(error), detail: error instanceof Error ? error.message : String(error) }, 'could not enqueue the job');
      await deps.active.release(active).catch(() => undefined);
      await tell(renderNotice('I couldn’t start that: the job queue did not answer. Try again in a minute.')).catch(() => undefined);
    }
  });
}

/**
 * A new run as a job: posts the parent (unless it runs in an existing thread) and one progress message, runs the
 * pipeline, and posts the result. A later attempt, or another worker after this one died, finds the thread and the
 * progress message in the job's ledger and resumes the stored run from its last checkpoint.
 */
export async function runInThread(deps: JobDeps, job: NewRunJob, attempt: JobAttempt): Promise<JobOutcome> {
  const { channelId, teamId, userId, runId } = job;
  // A stored run's lines carry its id, team and the stage it has reached, on this worker as in one process.
  const stored = attempt.starts > 1 || attempt.attempt > 1 ? await deps.orchestrator.getRun(teamId, runId) : undefined;
  let stage: Stage = stored?.stage ?? 'intent';
  const log = runLog(deps.logger, { runId, teamId }, () => stage);
  const logged = { ...deps, logger: log };
  const poster = createPoster(deps.client, deps.scrub, log);
  const title = `Finding ${intentNoun(job.intent)} for ${deps.companyName}`;
  const storedOrigin = stored?.origin.kind === 'slack' ? stored.origin : undefined;

  let threadTs = attempt.ledger.threadTs ?? job.threadTs ?? storedOrigin?.threadTs;
  if (!threadTs) {
    try {
      threadTs = await poster.post(channelId, renderParent(title, userId, job.text));
    } catch (error) {
      const code = slackErrorCode(error);
      log.warn({ channelId, err: code }, 'could not post the parent message');
      if (job.responseUrl) await respondEphemeral(job.responseUrl, renderNotice(cannotPost(code)), deps.scrub).catch(() => undefined);
      return { ok: false, reason: `could not post in the channel (${code})` };
    }
    await attempt.record('threadTs', threadTs);
  }
  const active: ActiveRun = { runId, teamId, userId, channelId, threadTs };
  await deps.active.update(active).catch(() => undefined);
  void rememberPermalink(deps, active);

  const where = { channelId, threadTs };
  const startedAt = stored ? Date.parse(stored.createdAt) : undefined;
  const progress = await startProgressTracker(logged, poster, where, title, { existingTs: attempt.ledger.progressTs ?? storedOrigin?.progressTs, startedAt });
  if (progress.ts && progress.ts !== attempt.ledger.progressTs) await attempt.record('progressTs', progress.ts);
  const onProgress = (event: Parameters<typeof progress.onEvent>[0]) => {
    stage = event.stage;
    progress.onEvent(event);
  };
  try {
    if (attempt.starts > MAX_STARTS && stored?.status !== 'succeeded') {
      log.warn({ starts: attempt.starts }, 'gave up on a run started too many times');
      throw new RunFailedError(runId, `This request was started ${attempt.starts} times without finishing (its workers stopped or failed), so I gave up on it.`);
    }
    if (stored) log.info({ attempt: attempt.attempt, starts: attempt.starts }, 'resuming a run from its last checkpoint');
    const doc: LeadsDocument =
      stored?.status === 'succeeded'
        ? documentOf(stored)
        : stored
          ? await deps.orchestrator.resume({ scope: teamId, runId, onProgress, signal: attempt.signal })
          : await deps.orchestrator.run({
              text: job.text,
              scope: teamId,
              runId,
              origin: { kind: 'slack', teamId, channelId, userId, threadTs, ...(progress.ts ? { progressTs: progress.ts } : {}) },
              onProgress,
              signal: attempt.signal,
            });
    await progress.complete(doc.stats.stageMs);
    await postOutcomeOnce(logged, attempt, () => postResult(logged, poster, where, doc));
    return { ok: true };
  } catch (error) {
    // The orchestrator has logged the run's end with its reason; what is left is telling the thread.
    stage = 'failed';
    if (error instanceof NoLeadsError && !attempt.signal.aborted) {
      await reportNoLeads(logged, attempt, poster, where, progress, error);
      return { ok: true };
    }
    if (keepsClaim(error, attempt)) throw error;
    const reason = describeFailure(error);
    await progress.fail(reason);
    await postOutcomeOnce(logged, attempt, () => poster.post(channelId, renderFailure(error, { runId, runAgain: true }), threadTs));
    return { ok: false, reason };
  }
}

/** Fills in the thread's permalink for "already running" answers; the app_redirect link stands in until then. */
export async function rememberPermalink(deps: { client: SlackClient; active: JobDeps['active'] }, active: ActiveRun): Promise<void> {
  if (!active.threadTs) return;
  try {
    const res = await deps.client.chat.getPermalink({ channel: active.channelId, message_ts: active.threadTs });
    if (res.permalink) await deps.active.update({ ...active, permalink: res.permalink });
  } catch {
    // The app_redirect link is the fallback.
  }
}

function documentOf(run: StoredRun): LeadsDocument {
  if (!run.intent) throw new RunFailedError(run.runId, 'The stored run has no intent.');
  return { runId: run.runId, request: run.request, intent: run.intent, leads: run.leads ?? [], stats: { ...run.stats } };
}

function cannotPost(code: string): string {
  if (code === 'not_in_channel' || code === 'channel_not_found') {
    return 'I can’t post in this conversation. Invite me first (`/invite @Leads`), then ask again.';
  }
  if (code === 'is_archived') return 'This channel is archived, so I can’t post the results here.';
  return `I couldn’t start a thread here (Slack said: ${code}). Try again in a minute.`;
}
