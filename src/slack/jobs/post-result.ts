import type { LeadsDocument, NoLeadsError, RankChange } from '../../domain/types.js';
import { renderNoLeads } from '../blocks/no-leads.js';
import type { LineLogger } from '../../logger.js';
import { renderLeadsMessage } from '../blocks/leads-table.js';
import { renderResultUnavailable } from '../blocks/thread.js';
import type { SlackMessage } from '../blocks/message.js';
import type { JobDeps } from '../deps.js';
import { slackErrorCode, type Poster } from '../io/poster.js';
import type { JobAttempt } from '../../queue/jobs.js';
import type { DeliveryDedupe } from '../state/dedupe.js';
import { postOutcomeOnce } from './post-outcome.js';
import type { ProgressTracker } from './progress-tracker.js';

/** The result as a job posts it. */
export interface PresentedResult {
  /** The message in each form Slack may be asked to take: the table first, then plain text. */
  render(form: 'table' | 'text'): SlackMessage;
  /** The lead count App Home shows for the run (a digest counts only companies new to its channel). */
  leads: number;
  /** Runs once the result is posted (a digest remembers what it showed). */
  afterPost?(): Promise<void>;
}

/**
 * A run's or re-score's result: the table with each lead's feedback menu, what feedback hid, how the ranking moved
 * (a re-score) and the buttons the app offers; all of it read off the document, so posting needs no stored run.
 */
export function presentLeads(
  deps: Pick<JobDeps, 'companyName' | 'hubspot' | 'salesforce'>,
  doc: LeadsDocument & { changes?: readonly RankChange[] },
  note?: string,
): PresentedResult {
  const options = {
    companyName: deps.companyName,
    ...(doc.changes ? { changes: doc.changes } : {}),
    ...(note !== undefined ? { note } : {}),
    feedback: true,
    hubspot: deps.hubspot !== undefined,
    salesforce: deps.salesforce !== undefined,
    hidden: doc.hidden ?? 0,
    crmHidden: doc.crmHidden ?? [],
    ...(doc.answeredFrom ? { answeredFrom: { finishedAt: doc.answeredFrom.finishedAt } } : {}),
  };
  return { render: (form) => renderLeadsMessage(doc, { ...options, form }), leads: doc.leads.length };
}

/** Posts `render('table')`, then `render('text')`, then a short note with the buttons, whichever Slack accepts first. */
export async function postWithFallback(
  deps: { logger: Pick<LineLogger, 'warn' | 'error'> },
  poster: Poster,
  where: { channelId: string; threadTs: string },
  runId: string,
  render: (form: 'table' | 'text') => SlackMessage,
): Promise<string | undefined> {
  let reason = 'unknown error';
  for (const form of ['table', 'text'] as const) {
    try {
      return await poster.post(where.channelId, render(form), where.threadTs);
    } catch (error) {
      reason = slackErrorCode(error);
      deps.logger.warn({ runId, form, err: reason }, 'result message refused');
    }
  }
  try {
    return await poster.post(where.channelId, renderResultUnavailable(runId, reason), where.threadTs);
  } catch (error) {
    deps.logger.error({ runId, err: slackErrorCode(error) }, 'could not post the result; the run is stored');
    return undefined;
  }
}

/** A run with no company fit to show: the progress message says "finished without results", the thread gets the
 * numbers, what to try and a Run again button. A job passes its attempt (`once`), so the message is its one outcome
 * however many attempts or workers get this far. */
export async function reportNoLeads(
  deps: { logger: Pick<LineLogger, 'warn' | 'error'> },
  poster: Poster,
  where: { channelId: string; threadTs: string },
  progress: ProgressTracker,
  error: NoLeadsError,
  once?: { attempt: JobAttempt; dedupe: DeliveryDedupe },
): Promise<void> {
  // The orchestrator's summary line has the outcome and the funnel's numbers; this only tells the thread.
  await progress.finishEmpty();
  const post = () => poster.post(where.channelId, renderNoLeads(error, error.runId), where.threadTs);
  await (once ? postOutcomeOnce({ ...deps, dedupe: once.dedupe }, once.attempt, post) : post()).catch(
    (postError: unknown) => deps.logger.error({ err: slackErrorCode(postError) }, 'could not post the empty result'),
  );
}
