import { inRedis, type RedisClient } from '../../store/redis.js';

/** Remembers delivery ids (event_id, trigger_id, view id) so a Slack retry starts no second run. */
export interface DeliveryDedupe {
  /** True the first time a key is seen within the window; false for a repeat (from any instance, in Redis mode). */
  firstDelivery(key: string): Promise<boolean>;
  /** Forgets a key, so the next delivery counts as the first (an outcome whose post failed and will be retried). */
  forget(key: string): Promise<void>;
  /**
   * Claims a write that must happen once (a run's outcome in its thread): `mine` (write it, keeping the claim
   * renewed), `done` (written already), or `busy` (another holder is writing it, or died doing so and its lease runs
   * out). A holder that dies mid-write leaves only a lease, so the write is never lost to it.
   */
  claimWrite(key: string, holder: string, leaseMs: number): Promise<WriteClaim>;
  /** Keeps a claim alive while its write goes on (Slack's 429s and retries can take seconds). */
  renewWrite(key: string, holder: string, leaseMs: number): Promise<void>;
  /** The write happened: every later claim answers `done`. */
  finishWrite(key: string): Promise<void>;
  /** The write failed: the next claim may try it. */
  dropWrite(key: string, holder: string): Promise<void>;
}

export type WriteClaim = 'mine' | 'done' | 'busy';

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
  const writes = new Map<string, { holder?: string; until: number }>();
  const live = (key: string) => {
    const entry = writes.get(key);
    if (entry && entry.until > now()) return entry;
    writes.delete(key);
    return undefined;
  };
  return {
    async claimWrite(key, holder, leaseMs) {
      const entry = live(key);
      if (!entry) {
        writes.set(key, { holder, until: now() + leaseMs });
        return 'mine';
      }
      return entry.holder === undefined ? 'done' : entry.holder === holder ? 'mine' : 'busy';
    },
    async renewWrite(key, holder, leaseMs) {
      const entry = live(key);
      if (entry?.holder === holder) entry.until = now() + leaseMs;
    },
    async finishWrite(key) {
      writes.set(key, { until: now() + ttlMs });
    },
    async dropWrite(key, holder) {
      if (live(key)?.holder === holder) writes.delete(key);
    },
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
    async claimWrite(key, holder, leaseMs) {
      const k = `${prefix}:delivery:${key}`;
      const mine = `w:${holder}`;
      const answer = await inRedis('claiming a write', async () => {
        if ((await redis.set(k, mine, 'PX', leaseMs, 'NX')) === 'OK') return mine;
        return redis.get(k);
      });
      // A key gone between the two calls is a claim to try again; any value but a lease (older versions kept a time)
      // means written.
      if (answer === null) return 'busy';
      if (answer === mine) return 'mine';
      return answer.startsWith('w:') ? 'busy' : 'done';
    },
    async renewWrite(key, holder, leaseMs) {
      await inRedis('renewing a write claim', () =>
        redis.eval(RENEW_IF_HELD, 1, `${prefix}:delivery:${key}`, `w:${holder}`, String(leaseMs)),
      );
    },
    async finishWrite(key) {
      await inRedis('noting a write', () => redis.set(`${prefix}:delivery:${key}`, 'done', 'PX', ttlMs));
    },
    async dropWrite(key, holder) {
      await inRedis('dropping a write claim', () =>
        redis.eval(DELETE_IF_HELD, 1, `${prefix}:delivery:${key}`, `w:${holder}`),
      );
    },
  };
}

const RENEW_IF_HELD = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const DELETE_IF_HELD = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

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
