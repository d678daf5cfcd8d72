import type { ProgressEvent, StageTimes } from '../../domain/types.js';
import type { LineLogger } from '../../logger.js';
import {
  completeProgress,
  emptyProgress,
  failProgress,
  initialProgress,
  reduceProgress,
  renderProgress,
  type ProgressState,
} from '../blocks/progress.js';
import type { JobDeps } from '../deps.js';
import { slackErrorCode, type Poster } from '../io/poster.js';
import { ThrottledMessage } from '../io/throttled-message.js';

/** The run's one progress message: posted once in the thread, then updated in place, ending as a summary. */
export interface ProgressTracker {
  /** The progress message's ts, when Slack accepted it (stored with the run so a restart can mark it). */
  readonly ts?: string;
  onEvent(event: ProgressEvent): void;
  /** Ends the message as a summary that shows how long each stage took. */
  complete(stageMs?: StageTimes): Promise<void>;
  /** The run ended with no leads: "finished without results", not a green tick. */
  finishEmpty(): Promise<void>;
  fail(reason: string): Promise<void>;
}

/**
 * Posts the progress message in the thread, or takes over the one a run's earlier attempt posted (`existingTs`), so
 * a resumed run keeps updating the same message. If Slack refuses it, the run goes on without live progress.
 */
export async function startProgressTracker(
  deps: Pick<JobDeps, 'now' | 'progressIntervalMs'> & { logger: Pick<LineLogger, 'warn'> },
  poster: Poster,
  where: { channelId: string; threadTs: string },
  title: string,
  resume: { existingTs?: string; startedAt?: number } = {},
): Promise<ProgressTracker> {
  const now = () => deps.now().getTime();
  let state: ProgressState = initialProgress(title, resume.startedAt ?? now());
  let message: ThrottledMessage | undefined;
  let ts: string | undefined = resume.existingTs;
  try {
    ts ??= await poster.post(where.channelId, renderProgress(state), where.threadTs);
    const posted = ts;
    message = new ThrottledMessage(
      (m) => poster.update(where.channelId, posted, m),
      deps.progressIntervalMs,
      deps.logger,
    );
  } catch (error) {
    // The run goes on without live progress; its result or failure is still posted.
    deps.logger.warn({ err: slackErrorCode(error) }, 'could not post the progress message');
  }
  return {
    ts,
    onEvent(event) {
      state = reduceProgress(state, event, now());
      if (state.status === 'running') message?.update(renderProgress(state));
    },
    async complete(stageMs) {
      state = completeProgress(state, now(), stageMs);
      await message?.finish(renderProgress(state));
    },
    async finishEmpty() {
      state = emptyProgress(state, now());
      await message?.finish(renderProgress(state));
    },
    async fail(reason) {
      state = failProgress(state, reason, now());
      await message?.finish(renderProgress(state));
    },
  };
}

/** For a job with no progress message (an answer from a stored result is posted at once). */
export function withoutProgress(): ProgressTracker {
  const nothing = async () => undefined;
  return { onEvent: () => undefined, complete: nothing, finishEmpty: nothing, fail: nothing };
}
