import { diffDigest, rememberDigest } from '../../domain/digest.js';
import { newRunId } from '../../domain/run-id.js';
import { NoLeadsError, type LeadsDocument } from '../../domain/types.js';
import type { JobAttempt } from '../../queue/jobs.js';
import type { ScheduleFiring } from '../../scheduling/types.js';
import { renderDigestMessage, renderDigestParent } from '../blocks/digest.js';
import { describeFailure, renderFailure } from '../blocks/errors.js';
import { cadenceTitle, intentNoun } from '../blocks/labels.js';
import type { JobDeps } from '../deps.js';
import { createPoster, slackErrorCode } from '../io/poster.js';
import { postOutcomeOnce } from './post-outcome.js';
import { postWithFallback, reportNoLeads } from './post-result.js';
import { startProgressTracker } from './progress-tracker.js';
import { noteRecentRun, teamContextFor } from './recent-runs.js';
import { documentOf } from './run-in-thread.js';

/**
 * One firing of a schedule: runs its request with the team's feedback (caches reused, so an unchanged web costs
 * little), posts only companies the channel's earlier digests did not show plus what changed for returning ones,
 * remembers what it showed, and makes the result the instant answer to the same request in the workspace.
 * A firing whose worker died is taken up by another: the job's ledger holds its run id, thread and progress
 * message, so the run resumes from its last checkpoint in the same thread and the channel gets one digest.
 */
export async function runDigest(
  deps: JobDeps,
  firing: Pick<ScheduleFiring, 'scope' | 'scheduleId'>,
  attempt: JobAttempt,
): Promise<void> {
  const { client } = deps;
  const schedule = await deps.workspace.schedules.get(firing.scope, firing.scheduleId).catch((error: unknown) => {
    deps.logger.error(
      { scheduleId: firing.scheduleId, err: (error as Error).message },
      'could not read the schedule that fired',
    );
    return undefined;
  });
  // Cancelled (perhaps on another instance) after this firing was set up.
  if (!schedule) return;
  const { scope, channelId } = schedule;
  const poster = createPoster(client, deps.scrub, deps.logger);
  const resumed = attempt.ledger.runId;
  const runId = resumed ?? newRunId();
  if (!resumed) await attempt.record('runId', runId);
  const stored = resumed ? await deps.orchestrator.getRun(scope, runId) : undefined;
  const startedAt = stored?.createdAt ?? deps.now().toISOString();
  let threadTs: string;
  try {
    threadTs =
      attempt.ledger.threadTs ?? (await poster.post(channelId, renderDigestParent(schedule, deps.companyName)));
    if (threadTs !== attempt.ledger.threadTs) await attempt.record('threadTs', threadTs);
  } catch (error) {
    deps.logger.warn(
      { scheduleId: schedule.id, channelId, err: slackErrorCode(error) },
      'could not post a digest in its channel',
    );
    await deps.workspace.schedules
      .recordRun(scope, schedule.id, { runId, at: startedAt, status: 'failed' })
      .catch(() => undefined);
    return;
  }
  const where = { teamId: scope, channelId, threadTs };
  const recent = {
    runId,
    request: schedule.request,
    channelId,
    threadTs,
    userId: schedule.createdBy,
    kind: 'digest' as const,
    at: startedAt,
  };
  await noteRecentRun(deps, scope, { ...recent, status: 'running' });
  const title = `${cadenceTitle(schedule.cadence)} digest: ${intentNoun(schedule.intent)} for ${deps.companyName}`;
  const progress = await startProgressTracker(deps, poster, where, title, {
    existingTs: attempt.ledger.progressTs,
    ...(stored ? { startedAt: Date.parse(stored.createdAt) } : {}),
  });
  if (progress.ts && progress.ts !== attempt.ledger.progressTs) await attempt.record('progressTs', progress.ts);
  const permalink = client.chat.getPermalink({ channel: channelId, message_ts: threadTs }).then(
    (r) => r.permalink,
    () => undefined,
  );
  try {
    let doc: LeadsDocument;
    if (stored?.status === 'succeeded') doc = documentOf(stored);
    else if (stored) {
      deps.logger.info(
        { scheduleId: schedule.id, runId, starts: attempt.starts },
        'resuming a digest from its last checkpoint',
      );
      doc = await deps.orchestrator.resume({
        scope,
        runId,
        onProgress: (event) => progress.onEvent(event),
        signal: attempt.signal,
      });
    } else {
      const team = await teamContextFor(deps, scope);
      doc = await deps.orchestrator.run({
        text: schedule.request,
        scope,
        runId,
        origin: {
          kind: 'slack',
          teamId: scope,
          channelId,
          userId: schedule.createdBy,
          threadTs,
          ...(progress.ts ? { progressTs: progress.ts } : {}),
        },
        onProgress: (event) => progress.onEvent(event),
        signal: attempt.signal,
        ...(team ? { team } : {}),
      });
    }
    await progress.complete(doc.stats.stageMs);
    const memory = await deps.workspace.schedules.readDigestMemory(scope, channelId);
    const diff = diffDigest(doc.leads, memory);
    const finished = await deps.orchestrator.getRun(scope, runId);
    const hidden = finished?.hidden?.length ?? 0;
    const first = Object.keys(memory.companies).length === 0;
    await postOutcomeOnce(deps, attempt, () =>
      postWithFallback(deps, poster, where, runId, (form) =>
        renderDigestMessage(doc, diff, {
          companyName: deps.companyName,
          first,
          hubspot: deps.hubspot !== undefined,
          salesforce: deps.salesforce !== undefined,
          hidden,
          crmHidden: doc.crmHidden ?? finished?.crmHidden ?? [],
          form,
        }),
      ),
    );
    const finishedAt = deps.now().toISOString();
    await deps.workspace.schedules.writeDigestMemory(scope, channelId, rememberDigest(memory, doc.leads, finishedAt));
    await deps.workspace.schedules.setLatest(scope, {
      runId,
      scheduleId: schedule.id,
      channelId,
      request: schedule.request,
      finishedAt,
    });
    await deps.workspace.schedules.recordRun(scope, schedule.id, { runId, at: finishedAt, status: 'succeeded' });
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
    await noteRecentRun(deps, scope, {
      ...recent,
      status: 'succeeded',
      leads: diff.fresh.length,
      ...withPermalink(await permalink),
    });
  } catch (error) {
    if (error instanceof NoLeadsError) {
      // Nothing fit this week: the thread says so with the numbers; the channel's memory and the instant answer stay.
      await reportNoLeads(deps, poster, where, progress, error);
      await deps.workspace.schedules
        .recordRun(scope, schedule.id, { runId, at: deps.now().toISOString(), status: 'succeeded' })
        .catch(() => undefined);
      await noteRecentRun(deps, scope, { ...recent, status: 'succeeded', leads: 0, ...withPermalink(await permalink) });
      return;
    }
    // Shutting down: the firing goes back to the queue and another worker resumes it in this thread.
    if (attempt.signal.aborted) throw error;
    deps.logger.warn({ scheduleId: schedule.id, runId, err: describeFailure(error) }, 'digest failed');
    await progress.fail(describeFailure(error));
    await poster
      .post(channelId, renderFailure(error, { runId, what: 'This digest' }), threadTs)
      .catch((postError: unknown) =>
        deps.logger.error({ runId, err: slackErrorCode(postError) }, 'could not post the digest failure'),
      );
    await deps.workspace.schedules
      .recordRun(scope, schedule.id, { runId, at: deps.now().toISOString(), status: 'failed' })
      .catch(() => undefined);
    await noteRecentRun(deps, scope, { ...recent, status: 'failed', ...withPermalink(await permalink) });
  }
}

function withPermalink(permalink: string | undefined): { permalink?: string } {
  return permalink ? { permalink } : {};
}
