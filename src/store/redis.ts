import { Redis } from 'ioredis';
import { SharedStateError } from '../errors.js';

/** A Redis connection (ioredis) shared by everything in one process that coordinates with other processes. */
export type RedisClient = Redis;

export interface RedisConnectOptions {
  /** Shown in CLIENT LIST, so an operator can tell app instances from workers. */
  name: string;
  /**
   * For BullMQ workers: commands wait for a reconnect however long it takes (BullMQ requires this). Otherwise a
   * command gives up after about ten seconds of reconnecting, so a Redis outage surfaces as an error, not a hang.
   */
  waitForever?: boolean;
}

/** Opens a connection to REDIS_URL; it connects in the background and reconnects by itself after a drop. */
export function connectRedis(url: string, options: RedisConnectOptions): RedisClient {
  const redis = new Redis(url, {
    connectionName: options.name,
    maxRetriesPerRequest: options.waitForever ? null : 20,
    // Reconnect quickly at first (a restarted Redis is back within a second or two), then every two seconds.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    lazyConnect: false,
    // Commands issued in the same tick (a burst of acks) go out in one write; not for BullMQ's blocking worker.
    enableAutoPipelining: !options.waitForever,
  });
  // Without a listener ioredis prints every reconnect error; the callers report outages where they matter.
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves once the connection is ready, or rejects naming the URL's host when it is not within `timeoutMs`. */
export async function redisReady(redis: RedisClient, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  let onError: ((error: Error) => void) | undefined;
  let lastError = '';
  try {
    await new Promise<void>((resolve, reject) => {
      onError = (error: Error) => {
        lastError = error.message;
      };
      redis.on('error', onError);
      redis.once('ready', () => resolve());
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Redis at ${describeRedisUrl(redis)} did not answer within ${timeoutMs} ms${lastError ? ` (${lastError})` : ''}`,
            ),
          ),
        timeoutMs,
      );
    });
  } finally {
    clearTimeout(timer);
    if (onError) redis.off('error', onError);
  }
}

/** True when Redis answers a PING within `timeoutMs`; for /healthz. */
export async function redisAnswers(redis: RedisClient, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      redis.ping().then((reply) => reply === 'PONG'),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** host:port of a connection, never its password. */
export function describeRedisUrl(redis: RedisClient): string {
  return `${redis.options.host ?? '127.0.0.1'}:${redis.options.port ?? 6379}`;
}

/** A key under the deployment's REDIS_PREFIX ("leads:dedupe:…"), so several deployments can share one Redis. */
export function redisKey(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join(':');
}

/** Runs a Redis command, turning a failure into a SharedStateError that says what could not be done. */
export async function inRedis<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new SharedStateError(
      `Redis did not answer while ${what} (${error instanceof Error ? error.message : String(error)}).`,
      { cause: error },
    );
  }
}

/** How long closing a connection may wait for Redis to answer QUIT before the socket is simply dropped. */
const QUIT_WAIT_MS = 1000;

/** Closes a connection politely when Redis answers, and at once when it does not (shutdown must never hang). */
export async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await settleWithin(redis.quit(), QUIT_WAIT_MS);
  if ((redis.status as string) !== 'end') redis.disconnect();
}

/** Waits for `work` at most `ms`; resolves either way (its outcome is not needed, only that it is over or given up). */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
