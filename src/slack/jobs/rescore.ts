import { intentNoun } from '../blocks/labels.js';
import type { JobDeps } from '../deps.js';
import type { RescoreJob } from '../input/run-job.js';
import { presentLeads } from './post-result.js';
import type { ThreadJob } from './thread-job.js';
import { teamContextFor } from './workspace.js';

/** A re-score as a thread job: scoring again on the stored run (every start does it afresh), then the new table
 * and what changed, in the run's own thread. */
export async function rescoreJob(deps: JobDeps, job: RescoreJob): Promise<ThreadJob> {
  const { runId, teamId, channelId, threadTs } = job;
  const original = await deps.orchestrator.getRun(teamId, runId);
  return {
    noun: 're-score',
    runId,
    teamId,
    channelId,
    stage: 'scoring',
    threadTs,
    progressTitle: `Re-scoring ${intentNoun(original?.intent?.intent)} for ${deps.companyName}`,
    start: async (ctx) =>
      deps.orchestrator.rescore({
        runId,
        scope: teamId,
        note: job.note,
        // Marks given since the run was made count in the re-score: hidden companies drop out, preferences steer.
        team: await teamContextFor({ ...deps, logger: ctx.log }, teamId),
        onProgress: ctx.onProgress,
        signal: ctx.signal,
      }),
    present: async (doc) => presentLeads(deps, doc, job.note),
    failure: { what: 'The re-score', runAgain: true },
  };
}
