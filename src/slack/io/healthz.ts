import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobCounts } from '../../queue/jobs.js';

/** What one check found: ok, or the problem in words (which store, which file). */
export interface HealthResult {
  ok: boolean;
  problem?: string;
}

/** Checks /healthz runs; each resolves with what its dependency did. */
export interface HealthChecks {
  llm: () => Promise<HealthResult>;
  store: () => Promise<HealthResult>;
  /** REDIS_URL mode: Redis answers a PING. */
  redis?: () => Promise<HealthResult>;
  /** Jobs by state: the `leads-runs` queue in Redis mode, this process's runs otherwise. */
  queue?: () => Promise<JobCounts>;
}

const CHECK_TIMEOUT_MS = 5000;

/** GET /healthz: 200 when the LLM answers and the store keeps a value (and Redis answers, when used), 503 naming
 * whichever does not and why; with the queue's counts. */
export function healthzHandler(checks: HealthChecks) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const [llm, store, redis, queue] = await Promise.all([
        probe(checks.llm),
        probe(checks.store),
        checks.redis ? probe(checks.redis) : Promise.resolve(undefined),
        checks.queue ? withinTimeout(checks.queue()).catch(() => undefined) : Promise.resolve(undefined),
      ]);
      const ok = llm.ok && store.ok && (redis?.ok ?? true);
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(
        JSON.stringify({
          ok,
          llm: state(llm),
          store: state(store),
          ...(redis ? { redis: state(redis) } : {}),
          ...(checks.queue ? { queue: queue ?? 'unreachable' } : {}),
        }),
      );
    })();
  };
}

function state(result: HealthResult): string {
  return result.ok ? 'ok' : (result.problem ?? 'unreachable');
}

/** Runs one check with a time limit; a check that throws or takes too long counts as down, with the reason. */
export async function probe(check: () => Promise<HealthResult>): Promise<HealthResult> {
  return withinTimeout(check()).catch((error: unknown) => ({
    ok: false,
    problem: error instanceof Error ? error.message : String(error),
  }));
}

async function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
