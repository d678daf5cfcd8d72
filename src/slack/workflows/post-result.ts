import type { LeadsDocument, NoLeadsError, RankChange } from '../../domain/types.js';
import { renderNoLeads } from '../blocks/no-leads.js';
import type { LineLogger } from '../../logger.js';
import { renderLeadsMessage } from '../blocks/leads-table.js';
import { renderResultUnavailable } from '../blocks/thread.js';
import type { JobAttempt } from '../../queue/jobs.js';
import type { JobDeps, ListenerDeps } from '../deps.js';
import { slackErrorCode, type Poster } from '../io/poster.js';
import { postOutcomeOnce } from './post-outcome.js';
import type { ProgressTracker } from './progress-tracker.js';

/**
 * Posts the result in the thread; if Slack refuses the table form, the text form; if that fails too,
 * a short note with the buttons. The run is already stored, so nothing is lost either way.
 */
export async function postResult(
  deps: Pick<ListenerDeps, 'companyName'> & { logger: Pick<LineLogger, 'warn' | 'error'> },
  poster: Poster,
  where: { channelId: string; threadTs: string },
  doc: LeadsDocument,
  extra: { changes?: readonly RankChange[]; note?: string } = {},
): Promise<string | undefined> {
  const options = { companyName: deps.companyName, ...extra };
  let reason = 'unknown error';
  for (const form of ['table', 'text'] as const) {
    try {
      return await poster.post(where.channelId, renderLeadsMessage(doc, { ...options, form }), where.threadTs);
    } catch (error) {
      reason = slackErrorCode(error);
      deps.logger.warn({ form, err: reason }, 'result message refused');
    }
  }
  try {
    return await poster.post(where.channelId, renderResultUnavailable(doc.runId, reason), where.threadTs);
  } catch (error) {
    deps.logger.error({ err: slackErrorCode(error) }, 'could not post the result; the run is stored');
    return undefined;
  }
}

/** A run with no company fit to show: the progress message says "finished without results", the thread gets the
 * numbers, what to try and a Run again button (once, as any job's outcome). */
export async function reportNoLeads(
  deps: Pick<JobDeps, 'dedupe'> & { logger: Pick<LineLogger, 'warn' | 'error'> },
  attempt: JobAttempt,
  poster: Poster,
  where: { channelId: string; threadTs: string },
  progress: ProgressTracker,
  error: NoLeadsError,
): Promise<void> {
  // The orchestrator's summary line has the outcome and the funnel's numbers; this only tells the thread.
  await progress.finishEmpty();
  await postOutcomeOnce(deps, attempt, () => poster.post(where.channelId, renderNoLeads(error, error.runId), where.threadTs)).catch((postError: unknown) =>
    deps.logger.error({ err: slackErrorCode(postError) }, 'could not post the empty result'),
  );
}
