import type { Stage } from '../../domain/types.js';
import type { LineLogger } from '../../logger.js';
import type { JobHandler } from '../../queue/jobs.js';
import { describeFailure, renderFailure } from '../blocks/errors.js';
import { renderNotice } from '../blocks/thread.js';
import type { JobDeps } from '../deps.js';
import { createPoster, slackErrorCode } from '../io/poster.js';
import { respondEphemeral } from '../io/response-url.js';
import type { NewRunJob, RescoreJob, RunJob } from '../input/run-job.js';
import type { ActiveRun } from '../state/active-runs.js';
import { keepsClaim } from './job-policy.js';
import { postOutcomeOnce } from './post-outcome.js';
import { rescoreInThread } from './rescore-in-thread.js';
import { runDigest } from './run-digest.js';
import { runInThread } from './run-in-thread.js';
import { runLog } from './run-log.js';

/** How often a job in progress renews its user's one-run claim (it expires on its own well after this). */
const KEEP_ALIVE_MS = 60_000;

/**
 * The one job handler behind both modes (in the app's process, or on a worker): runs or re-scores in the job's
 * thread, keeps the user's claim while it works, and releases it once the job has ended for good. A job going
 * back to the queue (retry, shutdown) keeps its claim: the user's request is still under way.
 */
export function createRunJobHandler(deps: JobDeps): JobHandler<RunJob> {
  const threadJob = createThreadJobHandler(deps);
  return async (job, attempt) => {
    if (job.kind !== 'digest') return threadJob(job, attempt);
    // A schedule's firing: nobody's claim to keep; the digest tells its own thread how it went.
    await runDigest(deps, { scope: job.teamId, scheduleId: job.scheduleId }, attempt);
    return { ok: true };
  };
}

function createThreadJobHandler(deps: JobDeps): JobHandler<NewRunJob | RescoreJob> {
  return async (job, attempt) => {
    const claim: ActiveRun = {
      runId: job.runId,
      teamId: job.teamId,
      userId: job.userId,
      channelId: job.channelId,
      threadTs: job.threadTs,
    };
    // The job's own lines (after the workflow has ended) carry the run's id, team and how it ended, like its run lines.
    let stage: Stage = 'done';
    const log = runLog(deps.logger, { runId: job.runId, teamId: job.teamId }, () => stage);
    // A job that waited long in the queue renews its claim first.
    await deps.active.keepAlive(claim).catch(() => undefined);
    const timer = setInterval(() => void deps.active.keepAlive(claim).catch(() => undefined), KEEP_ALIVE_MS);
    let ended = true;
    try {
      return job.kind === 'run' ? await runInThread(deps, job, attempt) : await rescoreInThread(deps, job, attempt);
    } catch (error) {
      if (keepsClaim(error, attempt)) {
        ended = false;
        throw error;
      }
      // The last attempt failed before the workflow could report it (say Redis or Slack was down throughout).
      stage = 'failed';
      const reason = describeFailure(error);
      log.error({ err: reason, detail: error instanceof Error ? error.message : String(error) }, 'job failed for good');
      await tellFailure({ ...deps, logger: log }, job, attempt, error);
      return { ok: false, reason };
    } finally {
      clearInterval(timer);
      if (ended)
        await deps.active
          .release(claim)
          .catch((error: unknown) =>
            log.warn({ err: describeFailure(error) }, 'could not release the run claim; it expires by itself'),
          );
    }
  };
}

async function tellFailure(
  deps: Omit<JobDeps, 'logger'> & { logger: LineLogger },
  job: NewRunJob | RescoreJob,
  attempt: Parameters<JobHandler<RunJob>>[1],
  error: unknown,
): Promise<void> {
  const threadTs = attempt.ledger.threadTs ?? job.threadTs;
  try {
    if (threadTs) {
      const poster = createPoster(deps.client, deps.scrub, deps.logger);
      await postOutcomeOnce(deps, attempt, () =>
        poster.post(job.channelId, renderFailure(error, { runId: job.runId, runAgain: true }), threadTs),
      );
    } else if (job.kind === 'run' && job.responseUrl) {
      await respondEphemeral(
        job.responseUrl,
        renderNotice(`Your request could not finish: ${describeFailure(error)}`),
        deps.scrub,
      );
    }
  } catch (postError) {
    deps.logger.error({ err: slackErrorCode(postError) }, 'could not tell the user the job failed');
  }
}
