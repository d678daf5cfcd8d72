import type { Redis } from 'ioredis';
import { Semaphore } from 'redis-semaphore';
import { SharedStateError } from '../errors.js';
import type { FairLimiter } from './fair-limiter.js';

// With several workers, each process's fair limiter only sees its own runs. A Redis semaphore caps the model
// host's calls across all of them: a call first waits its run's turn in its process (round-robin between runs),
// then for one of the host's LLM_CONCURRENCY slots.

/** How long a slot outlives a process that died holding it; held slots are refreshed well before this. */
const SLOT_LEASE_MS = 10_000;
/** How often a waiting call asks Redis for a free slot. */
const RETRY_MS = 15;
/** A call that waits longer than this for a slot fails instead of hanging forever. */
const MAX_WAIT_MS = 60 * 60 * 1000;

export interface SharedSlotsOptions {
  /** The semaphore's Redis key; one per model host, so two hosts do not share a limit. */
  key: string;
  /** LLM_CONCURRENCY: calls the model host serves at once, across every process. */
  limit: number;
  logger: { warn(fields: Record<string, unknown>, message: string): void };
}

/** Wraps this process's fair limiter so every task also holds one of the model host's slots in Redis. */
export function withSharedSlots(local: FairLimiter, redis: Redis, options: SharedSlotsOptions): FairLimiter {
  async function holdingSlot<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const slot = new Semaphore(redis, options.key, options.limit, {
      lockTimeout: SLOT_LEASE_MS,
      acquireTimeout: MAX_WAIT_MS,
      retryInterval: RETRY_MS,
      // A lost slot (Redis restarted without its data) is only logged: the call in flight finishes either way.
      onLockLost: (error) => options.logger.warn({ key: options.key, err: error.message }, 'lost an LLM slot lease'),
    });
    try {
      await slot.acquire(signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new SharedStateError(
        `Could not get an LLM slot from Redis (${error instanceof Error ? error.message : String(error)}).`,
        { cause: error },
      );
    }
    try {
      return await task();
    } finally {
      await slot
        .release()
        .catch((error: unknown) =>
          options.logger.warn(
            { key: options.key, err: error instanceof Error ? error.message : String(error) },
            'could not release an LLM slot; it expires by itself',
          ),
        );
    }
  }
  return {
    concurrency: options.limit,
    active: () => local.active(),
    pending: () => local.pending(),
    run: (key, task, signal) => local.run(key, () => holdingSlot(task, signal), signal),
  };
}
