import type { IncomingMessage, ServerResponse } from 'node:http';

/** What one check found: ok, or the problem in words (which store, which file). */
export interface HealthResult {
  ok: boolean;
  problem?: string;
}

/** Checks /healthz runs; each resolves with what its dependency did. */
export interface HealthChecks {
  llm: () => Promise<HealthResult>;
  store: () => Promise<HealthResult>;
}

const CHECK_TIMEOUT_MS = 5000;

/** GET /healthz: 200 when the LLM answers and the store keeps a value, 503 naming whichever does not and why. */
export function healthzHandler(checks: HealthChecks) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const [llm, store] = await Promise.all([probe(checks.llm), probe(checks.store)]);
      const ok = llm.ok && store.ok;
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ok, llm: state(llm), store: state(store) }));
    })();
  };
}

function state(result: HealthResult): string {
  return result.ok ? 'ok' : (result.problem ?? 'unreachable');
}

/** Runs one check with a time limit; a check that throws or takes too long counts as down, with the reason. */
export async function probe(check: () => Promise<HealthResult>): Promise<HealthResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, problem: `no answer within ${CHECK_TIMEOUT_MS / 1000} s` }), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().catch((error: unknown) => ({ ok: false, problem: error instanceof Error ? error.message : String(error) })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
