import type { RecentRun } from '../../store/recent-runs-store.js';
import type { LineLogger } from '../../logger.js';
import type { ListenerDeps } from '../deps.js';

/** Adds or updates a run in App Home's list; a store failure is logged and never breaks the run itself. */
export async function noteRecentRun(
  deps: Pick<ListenerDeps, 'workspace'> & { logger: Pick<LineLogger, 'warn'> },
  scope: string,
  run: RecentRun,
): Promise<void> {
  try {
    await deps.workspace.recentRuns.record(scope, run);
  } catch (error) {
    deps.logger.warn({ runId: run.runId, err: (error as Error).message }, 'could not record the run for App Home');
  }
}

/** The team's feedback for a run; when the store cannot be read the run goes on without it (and says so in the log). */
export async function teamContextFor(
  deps: Pick<ListenerDeps, 'workspace'> & { logger: Pick<LineLogger, 'warn'> },
  scope: string,
) {
  try {
    return await deps.workspace.feedback.teamContext(scope);
  } catch (error) {
    deps.logger.warn(
      { scope, err: (error as Error).message },
      'could not read the team’s feedback; running without it',
    );
    return undefined;
  }
}
