import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reachability checks /healthz runs; each resolves true when its dependency answers. */
export interface HealthChecks {
  llm: () => Promise<boolean>;
  store: () => Promise<boolean>;
}

const CHECK_TIMEOUT_MS = 5000;

/** GET /healthz: 200 when the LLM and the store answer, 503 naming whichever does not. */
export function healthzHandler(checks: HealthChecks) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const [llm, store] = await Promise.all([probe(checks.llm), probe(checks.store)]);
      const ok = llm && store;
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ok, llm: llm ? 'ok' : 'unreachable', store: store ? 'ok' : 'unreachable' }));
    })();
  };
}

async function probe(check: () => Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
