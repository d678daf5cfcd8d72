import { NoLeadsError, RunFailedError, type Stage } from '../../domain/types.js';
import type { JobAttempt, JobOutcome } from '../../queue/jobs.js';
import { describeFailure, renderFailure } from '../blocks/errors.js';
import { intentNoun } from '../blocks/labels.js';
import type { JobDeps } from '../deps.js';
import { createPoster } from '../io/poster.js';
import type { RescoreJob } from '../input/run-job.js';
import { keepsClaim, MAX_STARTS } from './job-policy.js';
import { postOutcomeOnce, recordPosted } from './post-outcome.js';
import { postResult, reportNoLeads } from './post-result.js';
import { startProgressTracker } from './progress-tracker.js';
import { teamContextFor } from './recent-runs.js';
import { rememberPermalink } from './open-thread.js';
import { runLog } from './run-log.js';

/** Re-scores a stored run as a job and posts the new table and what changed into its thread (once). */
export async function rescoreInThread(deps: JobDeps, job: RescoreJob, attempt: JobAttempt): Promise<JobOutcome> {
  let stage: Stage = 'scoring';
  const log = runLog(deps.logger, { runId: job.runId, teamId: job.teamId }, () => stage);
  const logged = { ...deps, logger: log };
  const poster = createPoster(deps.client, deps.scrub, log);
  const where = { teamId: job.teamId, channelId: job.channelId, threadTs: job.threadTs };
  const stored = await deps.orchestrator.getRun(job.teamId, job.runId);
  void rememberPermalink(deps, {
    runId: job.runId,
    teamId: job.teamId,
    userId: job.userId,
    channelId: job.channelId,
    threadTs: job.threadTs,
  });
  const title = `Re-scoring ${intentNoun(stored?.intent?.intent)} for ${deps.companyName}`;
  const progress = await startProgressTracker(logged, poster, where, title, { existingTs: attempt.ledger.progressTs });
  if (progress.ts && progress.ts !== attempt.ledger.progressTs) await recordPosted(attempt, 'progressTs', progress.ts);
  try {
    if (attempt.starts > MAX_STARTS)
      throw new RunFailedError(
        job.runId,
        `This re-score was started ${attempt.starts} times without finishing, so I gave up on it.`,
      );
    const result = await deps.orchestrator.rescore({
      runId: job.runId,
      scope: job.teamId,
      note: job.note,
      // Marks given since the run was made count in the re-score: hidden companies drop out, preferences steer.
      team: await teamContextFor(logged, job.teamId),
      onProgress: (event) => {
        stage = event.stage;
        progress.onEvent(event);
      },
      signal: attempt.signal,
    });
    await progress.complete(result.stats.stageMs);
    await postOutcomeOnce(logged, attempt, () =>
      postResult(logged, poster, where, result, { changes: result.changes, note: job.note }),
    );
    return { ok: true };
  } catch (error) {
    stage = 'failed';
    if (error instanceof NoLeadsError && !attempt.signal.aborted) {
      await reportNoLeads(logged, poster, where, progress, error, { attempt, dedupe: deps.dedupe });
      return { ok: true };
    }
    if (keepsClaim(error, attempt)) throw error;
    const reason = describeFailure(error);
    await progress.fail(reason);
    await postOutcomeOnce(logged, attempt, () =>
      poster.post(
        where.channelId,
        renderFailure(error, { runId: job.runId, what: 'The re-score', runAgain: true }),
        where.threadTs,
      ),
    );
    return { ok: false, reason };
  }
}
