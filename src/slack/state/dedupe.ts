import { inRedis, type RedisClient } from '../../store/redis.js';

/** Remembers delivery ids (event_id, trigger_id, view id) so a Slack retry starts no second run. */
export interface DeliveryDedupe {
  /** True the first time a key is seen within the window; false for a repeat (from any instance, in Redis mode). */
  firstDelivery(key: string): Promise<boolean>;
  /** Forgets a key, so the next delivery counts as the first (an outcome whose post failed and will be retried). */
  forget(key: string): Promise<void>;
}

/** Slack retries within minutes, so an hour's window is ample. */
const WINDOW_MS = 60 * 60 * 1000;

/** In-process memory, for the single-process mode. */
export function createDeliveryDedupe(
  options: { ttlMs?: number; maxKeys?: number; now?: () => number } = {},
): DeliveryDedupe {
  const ttlMs = options.ttlMs ?? WINDOW_MS;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  return {
    async firstDelivery(key) {
      const at = now();
      const previous = seen.get(key);
      if (previous !== undefined && at - previous < ttlMs) return false;
      seen.set(key, at);
      if (seen.size > maxKeys) {
        for (const [k, t] of seen) {
          if (at - t >= ttlMs || seen.size > maxKeys) seen.delete(k);
          else break;
        }
      }
      return true;
    },
    async forget(key) {
      seen.delete(key);
    },
  };
}

/** A Redis SET NX with a TTL: the first instance to see a delivery wins, across instances and restarts. */
export function createRedisDedupe(redis: RedisClient, prefix: string, ttlMs = WINDOW_MS): DeliveryDedupe {
  return {
    async firstDelivery(key) {
      const set = await inRedis('checking for a repeated delivery', () =>
        redis.set(`${prefix}:delivery:${key}`, String(Date.now()), 'PX', ttlMs, 'NX'),
      );
      return set === 'OK';
    },
    async forget(key) {
      await inRedis('forgetting a delivery', () => redis.del(`${prefix}:delivery:${key}`));
    },
  };
}

/**
 * For deliveries acked first (buttons, modal submissions): the repeat check runs once the ack is out, since it may
 * wait for Redis and the ack may not. Resolves true for the first delivery, false for a repeat, and rejects when the
 * check fails (the caller tells the person); a rejection nobody awaits is never reported as unhandled.
 */
export function firstDeliveryAfterAck(dedupe: DeliveryDedupe, acked: Promise<unknown>, key: string): Promise<boolean> {
  const first = acked.then(() => dedupe.firstDelivery(key));
  first.catch(() => undefined);
  return first;
}
