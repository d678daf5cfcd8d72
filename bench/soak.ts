// `npm run bench -- --soak [--json]`: the soak (test/scale/support/soak.ts) at full length, about 10 minutes: 320
// requests across 3 app instances and 3 workers on a real redis-server while faults land on a schedule.
import { redisServerInstalled } from '../test/support/redis-server.js';
import { runSoak, type SoakResult } from '../test/scale/support/soak.js';

/** The model of the soak: a faster one than the cost model (many runs in ten minutes), still LLM_CONCURRENCY slots. */
export const SOAK_COST = { baseMs: 60, perPromptTokenMs: 0.05, perOutputTokenMs: 1, slots: 2 };

export function soakAvailable(): boolean {
  return redisServerInstalled();
}

export function fullSoak(log: (line: string) => void): Promise<SoakResult> {
  return runSoak({
    runs: 320,
    durationMs: 540_000,
    drainMs: 240_000,
    apps: 3,
    workers: 3,
    llmConcurrency: SOAK_COST.slots,
    cost: SOAK_COST,
    searchLatencyMs: 250,
    log,
    ...(process.env.SOAK_LOGS ? { logsDir: process.env.SOAK_LOGS } : {}),
  });
}
