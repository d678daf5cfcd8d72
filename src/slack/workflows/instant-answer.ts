import { answersInstantly } from '../../domain/schedule.js';
import { describeFailure, renderFailure } from '../blocks/errors.js';
import { intentNoun } from '../blocks/labels.js';
import type { ListenerDeps } from '../deps.js';
import { slackErrorCode, type Poster } from '../io/poster.js';
import type { ActiveRun } from '../state/active-runs.js';
import { openThread, type RunInThreadRequest } from './open-thread.js';
import { postResult } from './post-result.js';
import { noteRecentRun, teamContextFor } from './recent-runs.js';

/**
 * Answers a request at once from the latest scheduled result of the same request in this workspace, when there is a
 * recent one: no search and no model call, leads hidden by feedback since then left out, its age shown, and a
 * Refresh button. Returns false (nothing posted) when there is no such result, so the request runs as usual.
 */
export async function answerFromSchedule(deps: ListenerDeps, request: RunInThreadRequest, active: ActiveRun, poster: Poster): Promise<boolean> {
  const { teamId, channelId, userId } = request;
  let latest;
  try {
    latest = await deps.workspace.schedules.getLatest(teamId, request.text);
  } catch (error) {
    deps.logger.warn({ teamId, err: (error as Error).message }, 'could not look for a scheduled result; running the request');
    return false;
  }
  if (!latest || !answersInstantly(latest, deps.now())) return false;
  const source = await deps.orchestrator.getRun(teamId, latest.runId).catch(() => undefined);
  if (!source || source.status !== 'succeeded') return false;

  const threadTs = await openThread(deps, poster, request, active, `${capitalise(intentNoun(source.intent?.intent ?? request.intent))} for ${deps.companyName}`);
  if (!threadTs) return true;
  deps.logger.info({ runId: active.runId, from: latest.runId, scheduleId: latest.scheduleId }, 'answering from a scheduled result');
  try {
    const doc = await deps.orchestrator.reuse({
      scope: teamId,
      fromRunId: latest.runId,
      runId: active.runId,
      origin: { kind: 'slack', teamId, channelId, userId, threadTs },
      team: await teamContextFor(deps, teamId),
    });
    await postResult(deps, poster, { teamId, channelId, threadTs }, doc);
    await noteRecentRun(deps, teamId, { runId: doc.runId, request: doc.request, channelId, threadTs, userId, kind: 'instant', status: 'succeeded', leads: doc.leads.length, at: deps.now().toISOString(), ...(active.permalink ? { permalink: active.permalink } : {}) });
  } catch (error) {
    deps.logger.warn({ runId: active.runId, err: describeFailure(error) }, 'could not answer from the scheduled result');
    await poster.post(channelId, renderFailure(error, { runId: active.runId }), threadTs).catch((postError: unknown) =>
      deps.logger.error({ runId: active.runId, err: slackErrorCode(postError) }, 'could not post the failure'),
    );
  }
  return true;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
