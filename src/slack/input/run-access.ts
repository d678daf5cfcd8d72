import type { RunOrigin, StoredRun } from '../../domain/types.js';
import type { ListenerDeps } from '../deps.js';

export type SlackOrigin = Extract<RunOrigin, { kind: 'slack' }>;
export type SlackRun = StoredRun & { origin: SlackOrigin };

/** A run the payload may act on, or a plain-words reason to refuse. */
export type RunAccess = { ok: true; run: SlackRun } | { ok: false; reason: string };

const RUN_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The run a button or modal names, only if it belongs to this workspace and this channel: payloads
 * naming another team's or channel's run, or a made-up or expired id, are refused.
 */
export async function findRunForAction(
  deps: Pick<ListenerDeps, 'orchestrator' | 'logger'>,
  where: { teamId: string | undefined; channelId: string | undefined; runId: string | undefined },
): Promise<RunAccess> {
  const { teamId, channelId, runId } = where;
  if (!teamId || !channelId || !runId || !RUN_ID.test(runId))
    return { ok: false, reason: 'That button does not point at a list I made, so I did nothing.' };
  let run: StoredRun | undefined;
  try {
    run = await deps.orchestrator.getRun(teamId, runId);
  } catch (error) {
    deps.logger.error({ runId, err: error instanceof Error ? error.message : String(error) }, 'run store read failed');
    return { ok: false, reason: 'I could not read the saved list just now; try again in a minute.' };
  }
  if (!run)
    return { ok: false, reason: 'That list is no longer available (it may have expired). Ask again with /leads.' };
  const origin = run.origin;
  if (run.scope !== teamId || origin.kind !== 'slack' || origin.teamId !== teamId || origin.channelId !== channelId) {
    deps.logger.warn({ runId, teamId, channelId }, 'refused a payload naming a run from another conversation');
    return { ok: false, reason: 'That list belongs to another conversation, so it cannot be used from here.' };
  }
  return { ok: true, run: run as SlackRun };
}
