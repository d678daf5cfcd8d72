import { intentNoun } from '../blocks/labels.js';
import { renderParent } from '../blocks/thread.js';
import type { JobDeps } from '../deps.js';
import type { NewRunJob } from '../input/run-job.js';
import type { JobAttempt } from '../../queue/jobs.js';
import { runLog } from '../io/run-log.js';
import { answerFromSchedule, scheduledAnswerFor, scheduledAnswerTitle } from './instant-answer.js';
import { presentLeads } from './post-result.js';
import type { ThreadJob } from './thread-job.js';
import { teamContextFor } from './workspace.js';

/**
 * A new run as a thread job: the parent message (unless it runs in an existing thread), one progress message, the
 * pipeline with the team's feedback, the result; or, when a recent scheduled result answers the same request, that
 * result at once, with no progress message. A later start finds the stored run and resumes it.
 */
export async function newRunJob(deps: JobDeps, job: NewRunJob, attempt: JobAttempt): Promise<ThreadJob> {
  const { teamId, channelId, userId, runId } = job;
  const stored = attempt.starts > 1 || attempt.attempt > 1 ? await deps.orchestrator.getRun(teamId, runId) : undefined;
  const storedOrigin = stored?.origin.kind === 'slack' ? stored.origin : undefined;
  const logged = { ...deps, logger: runLog(deps.logger, { runId, teamId }, () => stored?.stage ?? 'intent') };
  // A first start may be answered at once from a scheduled result (Refresh and Run again always run).
  const scheduled = !stored && job.instant !== false ? await scheduledAnswerFor(logged, teamId, job.text) : undefined;
  const title = scheduled
    ? scheduledAnswerTitle(scheduled, job, deps.companyName)
    : `Finding ${intentNoun(job.intent)} for ${deps.companyName}`;
  // An answer from a scheduled result is posted at once, also when a later start finds it stored but not posted.
  const instant = scheduled !== undefined || stored?.answeredFrom !== undefined;
  const threadTs = job.threadTs ?? storedOrigin?.threadTs;
  return {
    noun: 'run',
    runId,
    teamId,
    channelId,
    stage: stored?.stage ?? 'intent',
    ...(threadTs ? { threadTs } : { parent: renderParent(title, userId, job.text) }),
    ...(job.responseUrl ? { responseUrl: job.responseUrl } : {}),
    ...(instant ? {} : { progressTitle: title }),
    ...(stored ? { stored } : {}),
    recent: {
      kind: instant ? 'instant' : 'request',
      request: job.text,
      userId,
      ...(stored ? { at: stored.createdAt } : {}),
    },
    async start(ctx) {
      if (scheduled) return answerFromSchedule(logged, scheduled, job, ctx);
      const team = await teamContextFor({ ...deps, logger: ctx.log }, teamId);
      return deps.orchestrator.run({
        text: job.text,
        scope: teamId,
        runId,
        origin: {
          kind: 'slack',
          teamId,
          channelId,
          userId,
          threadTs: ctx.threadTs,
          ...(ctx.progressTs ? { progressTs: ctx.progressTs } : {}),
        },
        onProgress: ctx.onProgress,
        signal: ctx.signal,
        ...(team ? { team } : {}),
        ...(job.fresh ? { fresh: true } : {}),
      });
    },
    present: async (doc) => presentLeads(deps, doc),
    failure: { what: 'The request', runAgain: true },
  };
}
