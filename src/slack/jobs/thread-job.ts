import { documentOf } from '../../domain/run-document.js';
import {
  NoLeadsError,
  RunFailedError,
  type LeadsDocument,
  type ProgressEvent,
  type RankChange,
  type Stage,
  type StoredRun,
} from '../../domain/types.js';
import type { LineLogger } from '../../logger.js';
import type { JobAttempt, JobOutcome } from '../../queue/jobs.js';
import type { RecentRun } from '../../store/recent-runs-store.js';
import { describeFailure, renderFailure } from '../blocks/errors.js';
import type { SlackMessage } from '../blocks/message.js';
import { cannotPost, renderNotice } from '../blocks/thread.js';
import type { JobDeps } from '../deps.js';
import { createPoster, slackErrorCode, type Poster } from '../io/poster.js';
import { respondEphemeral } from '../io/response-url.js';
import type { RunJob } from '../input/run-job.js';
import type { ActiveRun } from '../state/active-runs.js';
import { runLog } from '../io/run-log.js';
import { handsBack, MAX_STARTS } from './failure-policy.js';
import { postOutcomeOnce } from './post-outcome.js';
import { postWithFallback, reportNoLeads, type PresentedResult } from './post-result.js';
import { startProgressTracker, withoutProgress, type ProgressTracker } from './progress-tracker.js';
import { noteRecentRun } from './workspace.js';

/** How often a job in progress renews its person's one-run claim (the claim expires on its own well after this). */
const KEEP_ALIVE_MS = 60_000;

/** A finished job's document; a re-score's also says how the ranking moved. */
export type ResultDocument = LeadsDocument & { changes?: readonly RankChange[] };

/** What a job's first start is given to do its work with. */
export interface WorkContext {
  threadTs: string;
  /** The progress message, when there is one: stored on the run so a restart can find it. */
  progressTs?: string;
  onProgress(event: ProgressEvent): void;
  signal: AbortSignal;
  log: LineLogger;
}

/**
 * What one kind of job in a thread (a new run, a re-score, a digest, an answer from a stored result) does
 * differently; `runThreadJob` does the rest the same way for all of them.
 */
export interface ThreadJob {
  /** What the job is called in its log lines ("run", "re-score", "digest"). */
  noun: string;
  runId: string;
  teamId: string;
  channelId: string;
  /** The stage the job's log lines start at, until progress moves it. */
  stage: Stage;
  /** The thread, when it is known before the job starts (a mention's, the stored run's, a re-scored run's). */
  threadTs?: string;
  /** Otherwise the parent message the job posts once, and threads everything under. */
  parent?: SlackMessage;
  /** A slash command's response_url: reaches the person when the channel refuses the parent or the job fails before
   * it has a thread. */
  responseUrl?: string;
  /** The progress message's title; none for a job that answers at once from a stored result. */
  progressTitle?: string;
  /** The run a later start finds stored: resumed from its last checkpoint, or only posted when it had finished. */
  stored?: StoredRun;
  /** App Home's entry for the job; a re-score has none (App Home lists the run it re-scores). */
  recent?: Pick<RecentRun, 'kind' | 'request' | 'userId'> & { at?: string };
  /** The work of a first start: run the pipeline, re-score, answer from a stored result. */
  start(ctx: WorkContext): Promise<ResultDocument>;
  present(doc: ResultDocument): Promise<PresentedResult>;
  /** How a failure reads in the thread ("The re-score could not finish: …"), and whether it offers Run again. */
  failure: { what: string; runAgain: boolean };
  /** Told once how the job ended (a digest records the firing on its schedule); a failure here is only logged. */
  ended?(status: 'succeeded' | 'failed'): Promise<void>;
}

/**
 * Runs one job in its Slack thread, the same way whatever the job does and whichever process takes it: the thread
 * and the progress message are found in the job's ledger on a later attempt (or by another worker after this one
 * died) rather than posted again; a stored run is resumed from its last checkpoint; the outcome (result, empty
 * result or failure) is posted once; App Home's recent runs follow it; the person's claim (every job a person asked
 * for holds one; a digest has none) is kept while the job works and released once it has ended for good. A failure
 * a retry may cure goes back to the queue (`failure-policy.ts`); any other is told in the thread.
 * `describe` says what this kind of job does differently (`new-run.ts`, `rescore.ts`, `digest.ts`); undefined when
 * there is nothing left to do (a schedule cancelled since it fired).
 */
export async function runThreadJob(
  deps: JobDeps,
  payload: RunJob,
  attempt: JobAttempt,
  describe: () => Promise<ThreadJob | undefined>,
): Promise<JobOutcome> {
  const claim = claimOf(payload);
  let job: ThreadJob | undefined;
  let stage: Stage = 'intent';
  const logOf = () =>
    runLog(deps.logger, { runId: job?.runId ?? claim?.runId ?? attempt.jobId, teamId: payload.teamId }, () => stage);
  // A job that waited long in the queue renews its claim first.
  if (claim) await deps.active.keepAlive(claim).catch(() => undefined);
  const timer = claim
    ? setInterval(() => void deps.active.keepAlive(claim).catch(() => undefined), KEEP_ALIVE_MS)
    : undefined;
  let endedForGood = true;
  try {
    job = await describe();
    if (!job) return { ok: true };
    stage = job.stage;
    return await inThread(deps, job, claim, attempt, logOf(), (next) => (stage = next));
  } catch (error) {
    if (handsBack(error, attempt)) {
      endedForGood = false;
      throw error;
    }
    // The last attempt failed before the job could report it (say Redis or Slack was down throughout).
    stage = 'failed';
    const log = logOf();
    const reason = describeFailure(error);
    log.error({ err: reason, detail: error instanceof Error ? error.message : String(error) }, 'job failed for good');
    await tellFailure({ ...deps, logger: log }, job ?? failureTarget(payload), attempt, error);
    return { ok: false, reason };
  } finally {
    clearInterval(timer);
    if (claim && endedForGood)
      await deps.active
        .release(claim)
        .catch((error: unknown) =>
          logOf().warn({ err: describeFailure(error) }, 'could not release the run claim; it expires by itself'),
        );
  }
}

/** The one run in progress a person's job holds; a schedule's firing is nobody's. */
function claimOf(payload: RunJob): ActiveRun | undefined {
  if (payload.kind === 'digest') return undefined;
  const { runId, teamId, userId, channelId, threadTs } = payload;
  return { runId, teamId, userId, channelId, ...(threadTs ? { threadTs } : {}) };
}

/** Where a job that failed before it was described tells its failure: what its payload names. */
function failureTarget(payload: RunJob): FailureTarget | undefined {
  if (payload.kind === 'digest') return undefined;
  return {
    runId: payload.runId,
    channelId: payload.channelId,
    ...(payload.threadTs ? { threadTs: payload.threadTs } : {}),
    ...(payload.kind === 'run' && payload.responseUrl ? { responseUrl: payload.responseUrl } : {}),
    failure: { what: payload.kind === 'rescore' ? 'The re-score' : 'The request', runAgain: true },
  };
}

type Logged = Omit<JobDeps, 'logger'> & { logger: LineLogger };

async function inThread(
  deps: JobDeps,
  job: ThreadJob,
  claim: ActiveRun | undefined,
  attempt: JobAttempt,
  log: LineLogger,
  setStage: (stage: Stage) => void,
): Promise<JobOutcome> {
  const logged: Logged = { ...deps, logger: log };
  const poster = createPoster(deps.client, deps.scrub, log);
  const opened = await openThread(logged, poster, job, attempt);
  if (!opened.ok) {
    await noteEnd(logged, job, 'failed');
    return opened;
  }
  const { threadTs } = opened;
  const where = { teamId: job.teamId, channelId: job.channelId, threadTs };
  const permalink = threadPermalink(deps, where, claim);
  const recent = job.recent
    ? {
        ...job.recent,
        runId: job.runId,
        channelId: job.channelId,
        threadTs,
        at: job.recent.at ?? deps.now().toISOString(),
      }
    : undefined;
  const noteRecent = async (status: RecentRun['status'], leads?: number) => {
    if (!recent) return;
    const link = status === 'running' ? undefined : await permalink;
    await noteRecentRun(logged, job.teamId, {
      ...recent,
      status,
      ...(leads !== undefined ? { leads } : {}),
      ...(link ? { permalink: link } : {}),
    });
  };
  await noteRecent('running');
  const { stored } = job;
  const storedOrigin = stored?.origin.kind === 'slack' ? stored.origin : undefined;
  const progress: ProgressTracker = job.progressTitle
    ? await startProgressTracker(logged, poster, where, job.progressTitle, {
        existingTs: attempt.ledger.progressTs ?? storedOrigin?.progressTs,
        ...(stored ? { startedAt: Date.parse(stored.createdAt) } : {}),
      })
    : withoutProgress();
  if (progress.ts && progress.ts !== attempt.ledger.progressTs) await attempt.record('progressTs', progress.ts);
  const onProgress = (event: ProgressEvent) => {
    setStage(event.stage);
    progress.onEvent(event);
  };
  try {
    if (attempt.starts > MAX_STARTS && stored?.status !== 'succeeded') {
      log.warn({ starts: attempt.starts }, `gave up on a ${job.noun} started too many times`);
      throw new RunFailedError(
        job.runId,
        `This ${job.noun} was started ${attempt.starts} times without finishing (its workers stopped or failed), so I gave up on it.`,
      );
    }
    let doc: ResultDocument;
    if (stored?.status === 'succeeded') doc = documentOf(stored);
    else if (stored) {
      log.info({ attempt: attempt.attempt, starts: attempt.starts }, `resuming a ${job.noun} from its last checkpoint`);
      // The stored run keeps the team's feedback it started with, so a resumed run is scored as it would have been.
      doc = await deps.orchestrator.resume({ scope: job.teamId, runId: job.runId, onProgress, signal: attempt.signal });
    } else {
      doc = await job.start({
        threadTs,
        ...(progress.ts ? { progressTs: progress.ts } : {}),
        onProgress,
        signal: attempt.signal,
        log,
      });
    }
    await progress.complete(doc.stats.stageMs);
    const result = await job.present(doc);
    await postOutcomeOnce(logged, attempt, () =>
      postWithFallback(logged, poster, where, job.runId, (form) => result.render(form)),
    );
    await result.afterPost?.();
    await noteEnd(logged, job, 'succeeded');
    await noteRecent('succeeded', result.leads);
    return { ok: true };
  } catch (error) {
    // The orchestrator has logged the run's end with its reason; what is left is telling the thread.
    setStage('failed');
    if (error instanceof NoLeadsError && !attempt.signal.aborted) {
      // Nothing fit: the thread says so with the numbers (a digest's channel memory and instant answer stay).
      await reportNoLeads(logged, poster, where, progress, error, { attempt, dedupe: deps.dedupe });
      await noteEnd(logged, job, 'succeeded');
      await noteRecent('succeeded', 0);
      return { ok: true };
    }
    if (handsBack(error, attempt)) throw error;
    const reason = describeFailure(error);
    log.warn({ err: reason }, `the ${job.noun} failed; telling its thread`);
    await progress.fail(reason);
    await noteEnd(logged, job, 'failed');
    await noteRecent('failed');
    await postOutcomeOnce(logged, attempt, () =>
      poster.post(job.channelId, renderFailure(error, { runId: job.runId, ...job.failure }), threadTs),
    );
    return { ok: false, reason };
  }
}

type OpenedThread = { ok: true; threadTs: string } | { ok: false; reason: string };

/**
 * The job's thread: the one an earlier attempt opened (the ledger), the one the job names, or a new parent message,
 * noted in the ledger before anything else is posted. When Slack refuses the parent, the person is told through
 * the slash command's response_url.
 */
async function openThread(deps: Logged, poster: Poster, job: ThreadJob, attempt: JobAttempt): Promise<OpenedThread> {
  const known = attempt.ledger.threadTs ?? job.threadTs;
  if (known) return { ok: true, threadTs: known };
  if (!job.parent) return { ok: false, reason: 'the job names no thread and no parent message' };
  let threadTs: string;
  try {
    threadTs = await poster.post(job.channelId, job.parent);
  } catch (error) {
    const code = slackErrorCode(error);
    deps.logger.warn({ channelId: job.channelId, err: code }, 'could not post the parent message');
    if (job.responseUrl)
      await respondEphemeral(job.responseUrl, renderNotice(cannotPost(code)), deps.scrub).catch(() => undefined);
    return { ok: false, reason: `could not post in the channel (${code})` };
  }
  await attempt.record('threadTs', threadTs);
  return { ok: true, threadTs };
}

/** The thread's permalink for App Home, also noted on the person's claim for "still running" answers (the
 * app_redirect link stands in until then, and whenever Slack does not give one). */
async function threadPermalink(
  deps: Pick<JobDeps, 'client' | 'active'>,
  where: { channelId: string; threadTs: string },
  claim: ActiveRun | undefined,
): Promise<string | undefined> {
  const inThread = claim ? { ...claim, threadTs: where.threadTs } : undefined;
  if (inThread) await deps.active.update(inThread).catch(() => undefined);
  try {
    const res = await deps.client.chat.getPermalink({ channel: where.channelId, message_ts: where.threadTs });
    if (res.permalink && inThread) await deps.active.update({ ...inThread, permalink: res.permalink });
    return res.permalink;
  } catch {
    // The app_redirect link is the fallback.
    return undefined;
  }
}

async function noteEnd(deps: Logged, job: ThreadJob, status: 'succeeded' | 'failed'): Promise<void> {
  await job
    .ended?.(status)
    .catch((error: unknown) =>
      deps.logger.warn(
        { err: describeFailure(error), detail: String(error) },
        `could not record how the ${job.noun} ended`,
      ),
    );
}

type FailureTarget = Pick<ThreadJob, 'runId' | 'channelId' | 'threadTs' | 'responseUrl' | 'failure'>;

/** The last word of a job that failed before it could tell its thread: in the thread if it has one, else through
 * the slash command's response_url. */
async function tellFailure(
  deps: Logged,
  target: FailureTarget | undefined,
  attempt: JobAttempt,
  error: unknown,
): Promise<void> {
  if (!target) return;
  const threadTs = attempt.ledger.threadTs ?? target.threadTs;
  try {
    if (threadTs) {
      const poster = createPoster(deps.client, deps.scrub, deps.logger);
      await postOutcomeOnce(deps, attempt, () =>
        poster.post(target.channelId, renderFailure(error, { runId: target.runId, ...target.failure }), threadTs),
      );
    } else if (target.responseUrl) {
      await respondEphemeral(
        target.responseUrl,
        renderNotice(`Your request could not finish: ${describeFailure(error)}`),
        deps.scrub,
      );
    }
  } catch (postError) {
    deps.logger.error({ err: slackErrorCode(postError) }, 'could not tell the user the job failed');
  }
}
