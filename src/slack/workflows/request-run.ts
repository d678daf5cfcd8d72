import { newRunId } from '../../domain/run-id.js';
import type { SlackOutcome } from '../../metrics/metrics.js';
import { describeFailure } from '../blocks/errors.js';
import { renderAlreadyRunning, renderNotice } from '../blocks/thread.js';
import type { SlackMessage } from '../blocks/message.js';
import type { ListenerDeps } from '../deps.js';
import { jobIdOf, type NewRunJob, type RescoreJob } from '../input/run-job.js';
import { linkToRun, type ActiveRun } from '../state/active-runs.js';
import { SHARED_STATE_DOWN, type AckBudget } from '../state/before-ack.js';
import { runLog } from '../io/run-log.js';

/** What a person asked for: a new run (it gets a fresh run id when claimed) or a re-score of a stored run. */
export type RunAsk = Omit<NewRunJob, 'runId'> | RescoreJob;

/** How the person hears back from a request. */
export interface RequestReplies {
  /** Tells the person privately (busy, the store or the queue did not answer); a failure to tell is only logged. */
  tell(message: SlackMessage): Promise<void>;
  /**
   * For a delivery not acked yet (a slash command): the claim is made within `budget`, the refusal or "still running"
   * answer goes in the ack itself, and the job is queued only after the ack. Without it the delivery was acked
   * already (events, and buttons and modals, which ack first) and answers go through `tell`.
   */
  beforeAck?: { ack(answer?: SlackMessage): Promise<void>; budget: AckBudget };
}

/**
 * The one way a listener starts a run or a re-score: claims the person's one run in progress (on any instance),
 * answers "still running" with a link when they have one, builds the job and queues it after the ack; if the queue
 * does not take it, releases the claim and tells the person, so nobody waits for a run that never starts.
 * Returns how the delivery went, for the listener's count.
 */
export async function requestRun(
  deps: Pick<ListenerDeps, 'active' | 'jobs' | 'tasks' | 'logger'>,
  ask: RunAsk,
  replies: RequestReplies,
): Promise<SlackOutcome> {
  const runId = ask.kind === 'rescore' ? ask.runId : newRunId();
  const claim: ActiveRun = {
    runId,
    teamId: ask.teamId,
    userId: ask.userId,
    channelId: ask.channelId,
    ...(ask.threadTs ? { threadTs: ask.threadTs } : {}),
  };
  const { beforeAck } = replies;
  const answer = (message: SlackMessage) => (beforeAck ? beforeAck.ack(message) : replies.tell(message));
  let claimed: Awaited<ReturnType<ListenerDeps['active']['claim']>>;
  try {
    const claiming = deps.active.claim(claim);
    claimed = await (beforeAck ? beforeAck.budget.within(claiming) : claiming);
  } catch (error) {
    // A claim that landed after the budget ran out (or before the failure) must not block the person until it expires.
    void deps.active.release(claim).catch(() => undefined);
    deps.logger.error(
      { err: error instanceof Error ? error.message : String(error) },
      `shared state unavailable; ${ask.kind === 'rescore' ? 're-score' : 'run'} refused`,
    );
    await answer(renderNotice(SHARED_STATE_DOWN));
    return 'error';
  }
  if (!claimed.ok) {
    await answer(renderAlreadyRunning(linkToRun(claimed.running)));
    return 'busy';
  }
  const job: NewRunJob | RescoreJob = { ...ask, runId };
  const acked = beforeAck ? beforeAck.ack() : Promise.resolve();
  deps.tasks.run(`enqueue ${jobIdOf(job)}`, async () => {
    await acked;
    try {
      await deps.jobs.enqueue(jobIdOf(job), job);
    } catch (error) {
      runLog(deps.logger, { runId, teamId: job.teamId }, () => 'failed').error(
        { err: describeFailure(error), detail: error instanceof Error ? error.message : String(error) },
        'could not enqueue the job',
      );
      await deps.active.release(claim).catch(() => undefined);
      await replies
        .tell(renderNotice('I couldn’t start that: the job queue did not answer. Try again in a minute.'))
        .catch(() => undefined);
    }
  });
  await acked;
  return 'accepted';
}

/** The "still running" answer when this person has a run in progress, without claiming anything (a form that would
 * start one is refused before it opens). */
export async function alreadyRunning(
  deps: Pick<ListenerDeps, 'active'>,
  teamId: string,
  userId: string,
): Promise<SlackMessage | undefined> {
  const running = await deps.active.runningFor(teamId, userId);
  return running ? renderAlreadyRunning(linkToRun(running)) : undefined;
}
