import { newRunId } from '../../domain/run-id.js';
import { NoLeadsError, RunFailedError, type LeadsDocument, type Stage, type StoredRun } from '../../domain/types.js';
import type { JobAttempt, JobOutcome } from '../../queue/jobs.js';
import { describeFailure, renderFailure } from '../blocks/errors.js';
import { intentNoun } from '../blocks/labels.js';
import { renderAlreadyRunning, renderNotice } from '../blocks/thread.js';
import type { SlackMessage } from '../blocks/message.js';
import type { JobDeps, ListenerDeps } from '../deps.js';
import { createPoster } from '../io/poster.js';
import { jobIdOf, type NewRunJob, type RescoreJob } from '../input/run-job.js';
import { linkToRun, type ActiveRun } from '../state/active-runs.js';
import { answerFromSchedule, scheduledAnswerFor, scheduledAnswerTitle } from './instant-answer.js';
import { keepsClaim, MAX_STARTS } from './job-policy.js';
import { openThread, rememberPermalink } from './open-thread.js';
import { postOutcomeOnce, recordPosted } from './post-outcome.js';
import { postResult, reportNoLeads } from './post-result.js';
import { startProgressTracker } from './progress-tracker.js';
import { noteRecentRun, teamContextFor } from './recent-runs.js';
import { runLog } from './run-log.js';

export type ClaimResult = { ok: true; active: ActiveRun } | { ok: false; busy: SlackMessage };

/** Registers the user's run before the ack, so a second request (on any instance) sees it.
 * A re-score claims with the stored run's id and thread; a new run gets a fresh id. */
export async function claimRun(
  deps: Pick<ListenerDeps, 'active'>,
  request: { teamId: string; userId: string; channelId: string; threadTs?: string },
  runId: string = newRunId(),
): Promise<ClaimResult> {
  const claimed = await deps.active.claim({
    runId,
    teamId: request.teamId,
    userId: request.userId,
    channelId: request.channelId,
    threadTs: request.threadTs,
  });
  if (claimed.ok) return { ok: true, active: claimed.run };
  return { ok: false, busy: renderAlreadyRunning(linkToRun(claimed.running)) };
}

/** The "already running" answer when this user has a run in progress, without claiming anything. */
export async function alreadyRunning(
  deps: Pick<ListenerDeps, 'active'>,
  teamId: string,
  userId: string,
): Promise<SlackMessage | undefined> {
  const running = await deps.active.runningFor(teamId, userId);
  return running ? renderAlreadyRunning(linkToRun(running)) : undefined;
}

/**
 * Hands a claimed run or re-score to the job queue once `acked` settles, so no work precedes the ack. If the queue
 * cannot take it, the claim is released and the user told (`tell`), rather than left waiting for nothing.
 */
export function startJob(
  deps: ListenerDeps,
  job: NewRunJob | RescoreJob,
  active: ActiveRun,
  tell: (message: SlackMessage) => Promise<void>,
  acked: Promise<unknown> = Promise.resolve(),
): void {
  deps.tasks.run(`enqueue ${jobIdOf(job)}`, async () => {
    await acked;
    try {
      await deps.jobs.enqueue(jobIdOf(job), job);
    } catch (error) {
      runLog(deps.logger, { runId: job.runId, teamId: job.teamId }, () => 'failed').error(
        { err: describeFailure(error), detail: error instanceof Error ? error.message : String(error) },
        'could not enqueue the job',
      );
      await deps.active.release(active).catch(() => undefined);
      await tell(renderNotice('I couldn’t start that: the job queue did not answer. Try again in a minute.')).catch(
        () => undefined,
      );
    }
  });
}

/**
 * A new run as a job: posts the parent (unless it runs in an existing thread) and one progress message, runs the
 * pipeline with the team's feedback, and posts the result; or, when a recent scheduled result answers the same
 * request, posts that at once. A later attempt, or another worker after this one died, finds the thread and the
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
  const storedOrigin = stored?.origin.kind === 'slack' ? stored.origin : undefined;

  // A first start may be answered at once from a scheduled result (Refresh and Run again always run).
  const scheduled = !stored && job.instant !== false ? await scheduledAnswerFor(logged, teamId, job.text) : undefined;
  const title = scheduled
    ? scheduledAnswerTitle(scheduled, job, deps.companyName)
    : `Finding ${intentNoun(job.intent)} for ${deps.companyName}`;
  const thread = await openThread(logged, poster, job, attempt, title, storedOrigin?.threadTs);
  if (!thread.ok) return thread;
  const { threadTs } = thread;
  const active: ActiveRun = { runId, teamId, userId, channelId, threadTs };
  await deps.active.update(active).catch(() => undefined);
  const permalink = rememberPermalink(deps, active);
  const where = { teamId, channelId, threadTs };
  if (scheduled) return answerFromSchedule(logged, poster, scheduled, job, where, attempt);
  // An answer from a scheduled result that a worker stored but did not get to post is posted as it is.
  if (stored?.status === 'succeeded' && stored.answeredFrom) {
    await postOutcomeOnce(logged, attempt, () => postResult(logged, poster, where, documentOf(stored)));
    return { ok: true };
  }

  const recent = {
    runId,
    request: job.text,
    channelId,
    threadTs,
    userId,
    kind: 'request' as const,
    at: stored?.createdAt ?? deps.now().toISOString(),
  };
  const ended = async (status: 'succeeded' | 'failed', leads?: number) => {
    const link = await permalink;
    await noteRecentRun(logged, teamId, {
      ...recent,
      status,
      ...(leads !== undefined ? { leads } : {}),
      ...(link ? { permalink: link } : {}),
    });
  };
  await noteRecentRun(logged, teamId, { ...recent, status: 'running' });
  const startedAt = stored ? Date.parse(stored.createdAt) : undefined;
  const progress = await startProgressTracker(logged, poster, where, title, {
    existingTs: attempt.ledger.progressTs ?? storedOrigin?.progressTs,
    startedAt,
  });
  if (progress.ts && progress.ts !== attempt.ledger.progressTs) await recordPosted(attempt, 'progressTs', progress.ts);
  const onProgress = (event: Parameters<typeof progress.onEvent>[0]) => {
    stage = event.stage;
    progress.onEvent(event);
  };
  try {
    if (attempt.starts > MAX_STARTS && stored?.status !== 'succeeded') {
      log.warn({ starts: attempt.starts }, 'gave up on a run started too many times');
      throw new RunFailedError(
        runId,
        `This request was started ${attempt.starts} times without finishing (its workers stopped or failed), so I gave up on it.`,
      );
    }
    if (stored)
      log.info({ attempt: attempt.attempt, starts: attempt.starts }, 'resuming a run from its last checkpoint');
    let doc: LeadsDocument;
    if (stored?.status === 'succeeded') doc = documentOf(stored);
    // The stored run keeps the team's feedback it started with, so a resumed run is scored as it would have been.
    else if (stored) doc = await deps.orchestrator.resume({ scope: teamId, runId, onProgress, signal: attempt.signal });
    else {
      const team = await teamContextFor(logged, teamId);
      doc = await deps.orchestrator.run({
        text: job.text,
        scope: teamId,
        runId,
        origin: {
          kind: 'slack',
          teamId,
          channelId,
          userId,
          threadTs,
          ...(progress.ts ? { progressTs: progress.ts } : {}),
        },
        onProgress,
        signal: attempt.signal,
        ...(team ? { team } : {}),
        ...(job.fresh ? { fresh: true } : {}),
      });
    }
    await progress.complete(doc.stats.stageMs);
    await postOutcomeOnce(logged, attempt, () => postResult(logged, poster, where, doc));
    await ended('succeeded', doc.leads.length);
    return { ok: true };
  } catch (error) {
    // The orchestrator has logged the run's end with its reason; what is left is telling the thread.
    stage = 'failed';
    if (error instanceof NoLeadsError && !attempt.signal.aborted) {
      await reportNoLeads(logged, poster, where, progress, error, { attempt, dedupe: deps.dedupe });
      await ended('succeeded', 0);
      return { ok: true };
    }
    if (keepsClaim(error, attempt)) throw error;
    const reason = describeFailure(error);
    await progress.fail(reason);
    await postOutcomeOnce(logged, attempt, () =>
      poster.post(channelId, renderFailure(error, { runId, runAgain: true }), threadTs),
    );
    await ended('failed');
    return { ok: false, reason };
  }
}

/** The result document of a stored run that finished (a resumed job posts it rather than running again). */
export function documentOf(run: StoredRun): LeadsDocument {
  if (!run.intent) throw new RunFailedError(run.runId, 'The stored run has no intent.');
  return {
    runId: run.runId,
    request: run.request,
    intent: run.intent,
    leads: run.leads ?? [],
    stats: { ...run.stats },
  };
}
