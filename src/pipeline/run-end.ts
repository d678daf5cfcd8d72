import { NoLeadsError, type StoredRun } from '../domain/types.js';
import type { Logger } from '../logger.js';
import type { RunEnd, RunIntent } from '../metrics/metrics.js';

/** The run's logger: every line carries its id and, for a Slack run, its team. Stages add their name. */
export function runLogger(logger: Logger, run: Pick<StoredRun, 'runId' | 'origin'>): Logger {
  return logger.child(
    run.origin.kind === 'slack' ? { runId: run.runId, team: run.origin.teamId } : { runId: run.runId },
  );
}

/**
 * How a run ended, in the metrics' fixed terms: finished with leads (succeeded), finished or failed with none
 * (empty), cut off by a restart or cancelled by its caller (interrupted), or failed for any other reason.
 */
export function runEndOf(run: StoredRun, error?: unknown, callerSignal?: AbortSignal): RunEnd {
  const intent: RunIntent = run.intent?.intent ?? 'unknown';
  if (run.status === 'interrupted') return { outcome: 'interrupted', intent };
  const timed = { intent, durationMs: run.stats.durationMs, top: run.top };
  if (run.status === 'succeeded') {
    const leads = run.leads?.length ?? 0;
    return { ...timed, outcome: leads === 0 ? 'empty' : 'succeeded', leads };
  }
  if (callerSignal?.aborted) return { ...timed, outcome: 'interrupted' };
  // No company fit: the run worked, the web had nothing for it (the operator's signal is low quality, not errors).
  if (error instanceof NoLeadsError) return { ...timed, outcome: 'empty', leads: 0 };
  return { ...timed, outcome: 'failed' };
}
