import { NoLeadsError, type Stage } from '../../domain/types.js';
import { linkToRun, type ActiveRun } from '../state/active-runs.js';
import { describeFailure, renderFailure } from '../blocks/errors.js';
import { intentNoun } from '../blocks/labels.js';
import { renderAlreadyRunning } from '../blocks/thread.js';
import type { SlackMessage } from '../blocks/message.js';
import type { ListenerDeps } from '../deps.js';
import { createPoster, slackErrorCode } from '../io/poster.js';
import { answerFromSchedule } from './instant-answer.js';
import { openThread, type RunInThreadRequest } from './open-thread.js';
import { postResult, reportNoLeads } from './post-result.js';
import { startProgressTracker } from './progress-tracker.js';
import { runLog } from './run-log.js';
import { noteRecentRun, teamContextFor } from './recent-runs.js';
import { newRunId } from '../../domain/run-id.js';

export type { RunInThreadRequest } from './open-thread.js';

export type ClaimResult = { ok: true; active: ActiveRun } | { ok: false; busy: SlackMessage };

/** Registers the user's run synchronously, so a second request arriving a moment later sees it.
 * A re-score claims with the stored run's id and thread; a new run gets a fresh id. */
export function claimRun(
  deps: Pick<ListenerDeps, 'active'>,
  request: Pick<RunInThreadRequest, 'teamId' | 'userId' | 'channelId' | 'threadTs'>,
  runId: string = newRunId(),
): ClaimResult {
  const claimed = deps.active.claim({ runId, teamId: request.teamId, userId: request.userId, channelId: request.channelId, threadTs: request.threadTs });
  if (claimed.ok) return { ok: true, active: claimed.run };
  return { ok: false, busy: renderAlreadyRunning(linkToRun(claimed.running)) };
}

/** The "already running" answer when this user has a run in progress, without claiming anything. */
export function alreadyRunning(deps: Pick<ListenerDeps, 'active'>, teamId: string, userId: string): SlackMessage | undefined {
  const running = deps.active.runningFor(teamId, userId);
  return running ? renderAlreadyRunning(linkToRun(running)) : undefined;
}

/** Starts the run in the background once `acked` settles: the handler returns at once and no work precedes the ack. */
export function startRunInThread(deps: ListenerDeps, request: RunInThreadRequest, active: ActiveRun, acked: Promise<unknown> = Promise.resolve()): void {
  deps.tasks.run(`run ${active.runId}`, async () => {
    try {
      await acked;
      await runInThread(deps, request, active);
    } finally {
      deps.active.release(active);
    }
  });
}

async function runInThread(deps: ListenerDeps, request: RunInThreadRequest, active: ActiveRun): Promise<void> {
  const { channelId, teamId, userId } = request;
  let stage: Stage = 'intent';
  const log = runLog(deps.logger, { runId: active.runId, teamId }, () => stage);
  const poster = createPoster(request.client, deps.scrub, log);
  if (request.instant !== false && (await answerFromSchedule(deps, request, active, poster))) return;
  const title = `Finding ${intentNoun(request.intent)} for ${deps.companyName}`;
  const threadTs = await openThread({ logger: log }, poster, request, active, title);
  if (!threadTs) return;
  const where = { teamId, channelId, threadTs };
  const recent = { runId: active.runId, request: request.text, channelId, threadTs, userId, kind: 'request' as const, at: deps.now().toISOString() };
  const team = await teamContextFor(deps, teamId);
  await noteRecentRun(deps, teamId, { ...recent, status: 'running' });
  const progress = await startProgressTracker({ ...deps, logger: log }, poster, where, title);
  try {
    const doc = await deps.orchestrator.run({
      text: request.text,
      scope: teamId,
      runId: active.runId,
      origin: { kind: 'slack', teamId, channelId, userId, threadTs, ...(progress.ts ? { progressTs: progress.ts } : {}) },
      onProgress: (event) => {
        stage = event.stage;
        progress.onEvent(event);
      },
      ...(team ? { team } : {}),
      ...(request.fresh ? { fresh: true } : {}),
    });
    await progress.complete(doc.stats.stageMs);
    await postResult({ ...deps, logger: log }, poster, where, doc);
    await noteRecentRun(deps, teamId, { ...recent, status: 'succeeded', leads: doc.leads.length, ...(active.permalink ? { permalink: active.permalink } : {}) });
  } catch (error) {
    // The orchestrator has logged the run's end with its reason; what is left is telling the thread.
    stage = 'failed';
    if (error instanceof NoLeadsError) {
      await reportNoLeads({ logger: log }, poster, where, progress, error);
      await noteRecentRun(deps, teamId, { ...recent, status: 'succeeded', leads: 0, ...(active.permalink ? { permalink: active.permalink } : {}) });
      return;
    }
    await progress.fail(describeFailure(error));
    await poster.post(channelId, renderFailure(error, { runId: active.runId }), threadTs).catch((postError: unknown) =>
      log.error({ err: slackErrorCode(postError) }, 'could not post the failure'),
    );
    await noteRecentRun(deps, teamId, { ...recent, status: 'failed', ...(active.permalink ? { permalink: active.permalink } : {}) });
  }
}
