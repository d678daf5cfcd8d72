// The soak of `npm run bench -- --soak`, short: 40 requests over a minute across 3 app instances and 3 workers on a
// real redis-server, with a worker SIGKILLed, Redis restarted, Slack 429 and 5xx bursts, the model hanging and
// failing, HubSpot losing answers, and deliveries sent twice. Every request gets one answer, none is lost, nothing
// is posted or written to HubSpot twice, and the model never has more calls at once than LLM_CONCURRENCY. (Runs in
// the Redis run of the suite, `npm run test:redis`; timing goals are the bench's.)
import { describe, expect, inject, it } from 'vitest';
import { REDIS_MODE } from '../support/test-mode.js';
import { runSoak } from '../scale/support/soak.js';

const canStartRedis = inject('redisServerInstalled');

describe.skipIf(!REDIS_MODE || !canStartRedis)('a short soak under faults', () => {
  it('answers every request once, loses none, duplicates nothing in Slack or HubSpot, and keeps the model within LLM_CONCURRENCY', async () => {
    const lines: string[] = [];
    const result = await runSoak({
      runs: 40,
      durationMs: 60_000,
      drainMs: 90_000,
      apps: 3,
      workers: 3,
      llmConcurrency: 2,
      cost: { baseMs: 60, perPromptTokenMs: 0.05, perOutputTokenMs: 1, slots: 2 },
      searchLatencyMs: 100,
      log: (line) => lines.push(line),
      ...(process.env.SOAK_LOGS ? { logsDir: process.env.SOAK_LOGS } : {}),
    });
    const report = `${lines.join('\n')}\n${JSON.stringify({ ...result, problems: undefined })}\n${result.problems.join('\n')}`;
    if (process.env.SOAK_REPORT) console.log(report);
    expect(result.problems, report).toEqual([]);
    expect(result, report).toMatchObject({ requested: 40, lost: 0, duplicates: 0, crmDuplicates: 0 });
    expect(result.completed + result.failed + result.refusedAtAck, report).toBe(40);
    // Faults make some runs fail with their reason; most still complete.
    expect(result.completed, report).toBeGreaterThanOrEqual(30);
    expect(result.maxLlmInFlight, report).toBeLessThanOrEqual(2);
    // Every press of Send to HubSpot is answered in its thread (a summary of what HubSpot holds, or why not).
    expect(result.hubspotAnswered, report).toBe(result.hubspotPresses);
    expect(Object.keys(result.faults).length, report).toBeGreaterThanOrEqual(8);
  }, 420_000);
});
