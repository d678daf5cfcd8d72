import { diffDigest, rememberDigest } from '../../domain/digest.js';
import { newRunId } from '../../domain/run-id.js';
import type { JobAttempt } from '../../queue/jobs.js';
import { renderDigestMessage, renderDigestParent } from '../blocks/digest.js';
import { cadenceTitle, intentNoun } from '../blocks/labels.js';
import type { JobDeps } from '../deps.js';
import type { DigestJob } from '../input/run-job.js';
import type { ThreadJob } from './thread-job.js';
import { teamContextFor } from './workspace.js';

/**
 * One firing of a schedule as a thread job: its request runs with the team's feedback (caches reused, so an
 * unchanged web costs little) under a parent message of its own; the digest shows only companies the channel's
 * earlier digests did not, plus what changed for returning ones, then remembers what it showed and becomes the
 * instant answer to the same request in the workspace. The run id is noted in the job's ledger first, so a worker
 * that takes over a firing resumes the same run in the same thread. Undefined when the schedule was cancelled (perhaps
 * on another instance) after this firing was set up.
 */
export async function digestJob(deps: JobDeps, job: DigestJob, attempt: JobAttempt): Promise<ThreadJob | undefined> {
  const scope = job.teamId;
  const schedule = await deps.workspace.schedules.get(scope, job.scheduleId).catch((error: unknown) => {
    deps.logger.error(
      { scheduleId: job.scheduleId, err: (error as Error).message },
      'could not read the schedule that fired',
    );
    return undefined;
  });
  if (!schedule) return undefined;
  const { channelId } = schedule;
  const resumed = attempt.ledger.runId;
  const runId = resumed ?? newRunId();
  if (!resumed) await attempt.record('runId', runId);
  const stored = resumed ? await deps.orchestrator.getRun(scope, runId) : undefined;
  const recordRun = (status: 'succeeded' | 'failed') =>
    deps.workspace.schedules.recordRun(scope, schedule.id, { runId, at: deps.now().toISOString(), status });
  return {
    noun: 'digest',
    runId,
    teamId: scope,
    channelId,
    stage: stored?.stage ?? 'intent',
    parent: renderDigestParent(schedule, deps.companyName),
    progressTitle: `${cadenceTitle(schedule.cadence)} digest: ${intentNoun(schedule.intent)} for ${deps.companyName}`,
    ...(stored ? { stored } : {}),
    recent: {
      kind: 'digest',
      request: schedule.request,
      userId: schedule.createdBy,
      ...(stored ? { at: stored.createdAt } : {}),
    },
    async start(ctx) {
      const team = await teamContextFor({ ...deps, logger: ctx.log }, scope);
      return deps.orchestrator.run({
        text: schedule.request,
        scope,
        runId,
        origin: {
          kind: 'slack',
          teamId: scope,
          channelId,
          userId: schedule.createdBy,
          threadTs: ctx.threadTs,
          ...(ctx.progressTs ? { progressTs: ctx.progressTs } : {}),
        },
        onProgress: ctx.onProgress,
        signal: ctx.signal,
        ...(team ? { team } : {}),
      });
    },
    async present(doc) {
      const memory = await deps.workspace.schedules.readDigestMemory(scope, channelId);
      const diff = diffDigest(doc.leads, memory);
      const first = Object.keys(memory.companies).length === 0;
      return {
        render: (form) =>
          renderDigestMessage(doc, diff, {
            companyName: deps.companyName,
            first,
            hubspot: deps.hubspot !== undefined,
            salesforce: deps.salesforce !== undefined,
            hidden: doc.hidden ?? 0,
            crmHidden: doc.crmHidden ?? [],
            form,
          }),
        leads: diff.fresh.length,
        async afterPost() {
          const finishedAt = deps.now().toISOString();
          await deps.workspace.schedules.writeDigestMemory(
            scope,
            channelId,
            rememberDigest(memory, doc.leads, finishedAt),
          );
          await deps.workspace.schedules.setLatest(scope, {
            runId,
            scheduleId: schedule.id,
            channelId,
            request: schedule.request,
            finishedAt,
          });
          deps.logger.info(
            {
              scheduleId: schedule.id,
              runId,
              fresh: diff.fresh.length,
              changed: diff.changed.length,
              unchanged: diff.unchanged.length,
            },
            'digest posted',
          );
        },
      };
    },
    // Nothing fit this week is a digest that ran: its schedule says so, the channel's memory and instant answer stay.
    ended: recordRun,
    failure: { what: 'This digest', runAgain: false },
  };
}
