import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobAttempt } from '../../queue/jobs.js';
import type { LineLogger } from '../../logger.js';
import type { JobDeps } from '../deps.js';

/** How long a claim to post an outcome outlives a worker that died holding it (renewed while the post goes on). */
const LEASE_MS = 15_000;
/** How long an attempt waits for another holder's post to finish (or its lease to run out) before it gives up. */
const WAIT_FOR_HOLDER_MS = 120_000;
/** How long the fact that an outcome was posted is retried into Redis (a restart takes seconds) before giving up. */
const NOTE_POSTED_MS = 30_000;

/**
 * Posts a job's outcome (its result, or why it failed) exactly once, however many attempts or workers get this far:
 * the ledger remembers a posted outcome, and a claim in Redis stops two workers racing on one job. The claim is a
 * lease while the post goes on, so a worker killed mid-post (in a 429 wait, say) does not leave the outcome unposted
 * for good: once its lease runs out, the next attempt posts it. Only after Slack took the message is the claim made
 * permanent.
 */
export async function postOutcomeOnce(
  deps: Pick<JobDeps, 'dedupe'> & { logger: Pick<LineLogger, 'warn'> },
  attempt: JobAttempt,
  post: () => Promise<string | undefined>,
): Promise<void> {
  if (attempt.ledger.outcomeTs) return;
  const key = `outcome:${attempt.jobId}`;
  const holder = randomUUID();
  for (const until = Date.now() + WAIT_FOR_HOLDER_MS; ;) {
    const claim = await deps.dedupe.claimWrite(key, holder, LEASE_MS);
    if (claim === 'mine') break;
    if (claim === 'done') {
      deps.logger.warn({ jobId: attempt.jobId }, 'the outcome of this job was already posted; not posting it again');
      return;
    }
    if (Date.now() > until) throw new Error(`another worker has been posting the outcome of ${attempt.jobId} too long`);
    await sleep(500, undefined, { signal: attempt.signal });
  }
  const renewal = setInterval(
    () => void deps.dedupe.renewWrite(key, holder, LEASE_MS).catch(() => undefined),
    LEASE_MS / 3,
  );
  let ts: string | undefined;
  try {
    ts = await post();
  } catch (error) {
    // Not posted: a retry may post it.
    await deps.dedupe.dropWrite(key, holder).catch(() => undefined);
    throw error;
  } finally {
    clearInterval(renewal);
  }
  await notePosted(deps, key);
  if (ts) await attempt.record('outcomeTs', ts).catch(() => undefined);
}

/** Makes the posted outcome known to every later attempt, waiting out a Redis restart: until it is, a dead lease
 * would let another attempt post the outcome a second time. */
async function notePosted(deps: Pick<JobDeps, 'dedupe'> & { logger: Pick<LineLogger, 'warn'> }, key: string) {
  for (const until = Date.now() + NOTE_POSTED_MS; ;) {
    try {
      await deps.dedupe.finishWrite(key);
      return;
    } catch (error) {
      if (Date.now() > until) {
        deps.logger.warn({ key, err: (error as Error).message }, 'could not note a posted outcome in Redis');
        return;
      }
      await sleep(500);
    }
  }
}

/**
 * Notes in the job's ledger a message that was just posted (the thread's parent, its progress message), retrying
 * through a Redis restart: an attempt that failed here would be retried and post the message a second time.
 */
export async function recordPosted(attempt: JobAttempt, key: string, ts: string): Promise<void> {
  for (const until = Date.now() + NOTE_POSTED_MS; ;) {
    try {
      await attempt.record(key, ts);
      return;
    } catch (error) {
      if (Date.now() > until || attempt.signal.aborted) throw error;
      await sleep(500);
    }
  }
}
