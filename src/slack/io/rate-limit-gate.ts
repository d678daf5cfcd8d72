import { setTimeout as sleep } from 'node:timers/promises';
import type { webApi } from '@slack/bolt';
import type { RedisClient } from '../../store/redis.js';

// Slack limits each Web API method per workspace. The WebClient waits out a 429's Retry-After itself, but only
// for its own calls; this gate lets every client in every process hold back calls to that method meanwhile.

/** Holds back calls to a Web API method that answered 429, for as long as its Retry-After said. */
export interface SlackRateGate {
  /** Resolves once no process has a Retry-After pending for this method. */
  wait(method: string): Promise<void>;
  /** Records a 429 answer: calls to this method everywhere wait `retryAfterMs`. */
  hit(method: string, retryAfterMs: number): Promise<void>;
}

/** Longest a call waits for the gate; the WebClient's own 429 handling still applies after it. */
const MAX_WAIT_MS = 60_000;

/** In-process: shared by every WebClient of this process (Bolt makes one per listener call). */
export function createMemoryRateGate(now: () => number = Date.now): SlackRateGate {
  const until = new Map<string, number>();
  return {
    async wait(method) {
      const left = Math.min((until.get(method) ?? 0) - now(), MAX_WAIT_MS);
      if (left > 0) await sleep(left);
    },
    async hit(method, retryAfterMs) {
      until.set(method, Math.max(until.get(method) ?? 0, now() + retryAfterMs));
    },
  };
}

// Sets the hold unless a longer one is already in place.
const EXTEND_HOLD = `local left = redis.call('PTTL', KEYS[1]); if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end return left`;

/** Across processes: a key per method whose TTL is the Retry-After. Redis trouble never blocks a call (fails open). */
export function createRedisRateGate(redis: RedisClient, prefix: string): SlackRateGate {
  const keyOf = (method: string) => `${prefix}:slack-429:${method}`;
  return {
    async wait(method) {
      const deadline = Date.now() + MAX_WAIT_MS;
      for (;;) {
        let left: number;
        try {
          left = await redis.pttl(keyOf(method));
        } catch {
          return;
        }
        if (left <= 0) return;
        await sleep(Math.min(left, Math.max(0, deadline - Date.now())));
        if (Date.now() >= deadline) return;
      }
    },
    async hit(method, retryAfterMs) {
      try {
        await redis.eval(EXTEND_HOLD, 1, keyOf(method), String(Math.max(1, Math.round(retryAfterMs))));
      } catch {
        // The WebClient that saw the 429 still waits; only the other processes are not told.
      }
    },
  };
}

/** The Web API method of a request URL (".../api/chat.update" -> "chat.update"); undefined for other URLs. */
export function webApiMethodOf(url: string | URL): string | undefined {
  const path = typeof url === 'string' ? url : url.href;
  return /\/api\/([A-Za-z][A-Za-z0-9_.]*)(?:[?#]|$)/.exec(path)?.[1];
}

/** A fetch for WebClients that waits at the gate before each Web API call and reports every 429 to it. */
export function gatedFetch(
  gate: SlackRateGate,
  base: webApi.FetchFunction = fetch as unknown as webApi.FetchFunction,
): webApi.FetchFunction {
  return async (url, init) => {
    const method = webApiMethodOf(url);
    if (method) await gate.wait(method);
    const response = await base(url, init);
    if (method && response.status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      await gate.hit(method, (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000);
    }
    return response;
  };
}
