import { answersInstantly, type LatestResult } from '../../domain/schedule.js';
import type { LeadsDocument, StoredRun } from '../../domain/types.js';
import type { LineLogger } from '../../logger.js';
import { intentNoun } from '../blocks/labels.js';
import type { JobDeps } from '../deps.js';
import type { NewRunJob } from '../input/run-job.js';
import type { WorkContext } from './thread-job.js';
import { teamContextFor } from './workspace.js';

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
 * left out; the document carries the result's age, which the message shows with a Refresh button. The answer is
 * stored as a run of its own, so a later attempt of the job finds it finished and only posts it.
 */
export async function answerFromSchedule(
  deps: Deps,
  answer: ScheduledAnswer,
  job: NewRunJob,
  ctx: WorkContext,
): Promise<LeadsDocument> {
  ctx.log.info(
    { from: answer.latest.runId, scheduleId: answer.latest.scheduleId },
    'answering from a scheduled result',
  );
  return deps.orchestrator.reuse({
    scope: job.teamId,
    fromRunId: answer.latest.runId,
    runId: job.runId,
    origin: { kind: 'slack', teamId: job.teamId, channelId: job.channelId, userId: job.userId, threadTs: ctx.threadTs },
    team: await teamContextFor(deps, job.teamId),
  });
}
