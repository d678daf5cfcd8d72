import { Mutex } from 'redis-semaphore';
import { SharedStateError } from '../errors.js';
import type { RedisClient } from './redis.js';

/** Runs `work` while no other process updates the document under `key`. */
export type DocumentLock = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/** How long a lock outlives a process that died holding it; held locks are refreshed well before this. */
const LOCK_LEASE_MS = 10_000;
/** An update waits this long for the lock before it fails (a read-modify-write takes milliseconds); a longer task
 * (a CRM send waiting for another press's send) says how long it waits. */
const ACQUIRE_TIMEOUT_MS = 10_000;

/**
 * A Redis mutex per document (`redis-semaphore`), for REDIS_URL mode: app instances and workers update the same
 * workspace documents (marks, schedules, recent runs), and Keyv has no compare-and-set, so each read-modify-write
 * holds the document's lock. A lock that cannot be had is a SharedStateError, like any Redis outage.
 */
export function createRedisDocumentLock(
  redis: RedisClient,
  prefix: string,
  options: { acquireTimeoutMs?: number } = {},
): DocumentLock {
  return async (key, work) => {
    const mutex = new Mutex(redis, `${prefix}:doc-lock:${key}`, {
      lockTimeout: LOCK_LEASE_MS,
      acquireTimeout: options.acquireTimeoutMs ?? ACQUIRE_TIMEOUT_MS,
      retryInterval: 10,
    });
    try {
      await mutex.acquire();
    } catch (error) {
      throw new SharedStateError(
        `Could not lock ${key} in Redis (${error instanceof Error ? error.message : String(error)}).`,
        { cause: error },
      );
    }
    try {
      return await work();
    } finally {
      // A lock that cannot be released expires by itself.
      await mutex.release().catch(() => undefined);
    }
  };
}
