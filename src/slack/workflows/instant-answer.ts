import { answersInstantly, type LatestResult } from '../../domain/schedule.js';
import type { StoredRun } from '../../domain/types.js';
import type { LineLogger } from '../../logger.js';
import type { JobAttempt, JobOutcome } from '../../queue/jobs.js';
import { describeFailure, renderFailure } from '../blocks/errors.js';
import { intentNoun } from '../blocks/labels.js';
import type { JobDeps } from '../deps.js';
import type { Poster } from '../io/poster.js';
import type { NewRunJob } from '../input/run-job.js';
import { keepsClaim } from './job-policy.js';
import { postOutcomeOnce } from './post-outcome.js';
import { postResult, type ResultPlace } from './post-result.js';
import { noteRecentRun, teamContextFor } from './recent-runs.js';

type Deps = Omit<JobDeps, 'logger'> & { logger: LineLogger };

/** A recent scheduled result of the same request in this workspace, and the finished run behind it. */
export interface ScheduledAnswer {
  latest: LatestResult;
  source: StoredRun;
}

/** The scheduled result that can answer this request at once, if there is a recent one; undefined means run it. */
export async function scheduledAnswerFor(
  deps: Deps,
  teamId: string,
  text: string,
): Promise<ScheduledAnswer | undefined> {
  let latest: LatestResult | undefined;
  try {
    latest = await deps.workspace.schedules.getLatest(teamId, text);
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message }, 'could not look for a scheduled result; running the request');
    return undefined;
  }
  if (!latest || !answersInstantly(latest, deps.now())) return undefined;
  const source = await deps.orchestrator.getRun(teamId, latest.runId).catch(() => undefined);
  return source?.status === 'succeeded' ? { latest, source } : undefined;
}

/** The thread title of an answer from a scheduled result ("Customers for AxleWave"). */
export function scheduledAnswerTitle(answer: ScheduledAnswer, job: NewRunJob, companyName: string): string {
  const noun = intentNoun(answer.source.intent?.intent ?? job.intent);
  return `${noun.charAt(0).toUpperCase()}${noun.slice(1)} for ${companyName}`;
}

/**
 * Answers the request from the scheduled result: no search and no model call, leads hidden by feedback since then
 * left out, its age shown, and a Refresh button; posted once, as the job's outcome. The answer is stored as a run of
 * its own, so a later attempt of the job finds it finished and only posts it.
 */
export async function answerFromSchedule(
  deps: Deps,
  poster: Poster,
  answer: ScheduledAnswer,
  job: NewRunJob,
  where: ResultPlace,
  attempt: JobAttempt,
): Promise<JobOutcome> {
  const { teamId, channelId, threadTs } = where;
  deps.logger.info(
    { from: answer.latest.runId, scheduleId: answer.latest.scheduleId },
    'answering from a scheduled result',
  );
  try {
    const doc = await deps.orchestrator.reuse({
      scope: teamId,
      fromRunId: answer.latest.runId,
      runId: job.runId,
      origin: { kind: 'slack', teamId, channelId, userId: job.userId, threadTs },
      team: await teamContextFor(deps, teamId),
    });
    await postOutcomeOnce(deps, attempt, () => postResult(deps, poster, where, doc));
    await noteRecentRun(deps, teamId, {
      runId: doc.runId,
      request: doc.request,
      channelId,
      threadTs,
      userId: job.userId,
      kind: 'instant',
      status: 'succeeded',
      leads: doc.leads.length,
      at: deps.now().toISOString(),
    });
    return { ok: true };
  } catch (error) {
    if (keepsClaim(error, attempt)) throw error;
    const reason = describeFailure(error);
    deps.logger.warn({ err: reason }, 'could not answer from the scheduled result');
    await postOutcomeOnce(deps, attempt, () =>
      poster.post(channelId, renderFailure(error, { runId: job.runId, runAgain: true }), threadTs),
    ).catch(() => undefined);
    return { ok: false, reason };
  }
}
