// Observability in REDIS_URL mode: every process exports the shared queue's job counts as leads_queue_jobs{state},
// the app on its HTTP port and a worker on METRICS_PORT; the runs a worker executes are counted where they ran; and
// a worker's run lines carry runId, stage and team like an in-process run's.
import { describe, expect, inject, it } from 'vitest';
import { freePort } from '../slack/support/app-process.js';
import { parseScrape, type Scrape } from '../support/prometheus-text.js';
import { resultTables, startCluster, threadIn, until } from './support/cluster.js';

const redisUrl = inject('redisUrl');

async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return parseScrape(await res.text());
}

const queueOf = (metrics: Scrape) =>
  Object.fromEntries(
    metrics
      .labelValues('leads_queue_jobs', 'state')
      .map((state) => [state, metrics.total('leads_queue_jobs', { state })]),
  );

describe.skipIf(!redisUrl)('metrics with Redis', () => {
  it('exports leads_queue_jobs from the app and from a worker on METRICS_PORT, and counts each run on the worker that ran it', async () => {
    // No worker at first (WORKERS=external): the app only acks and queues, so the jobs wait.
    const cluster = await startCluster({
      redisUrl,
      apps: 1,
      workers: 0,
      cost: { baseMs: 40, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 4 },
    });
    const appMetrics = `${cluster.apps[0]!.baseUrl}/metrics`;
    const acks = await Promise.all([
      cluster.command(0, 'find customers', { userId: 'U500', channelId: 'C500', triggerId: 'trig.metrics.1' }),
      cluster.command(0, 'find partners', { userId: 'U501', channelId: 'C501', triggerId: 'trig.metrics.2' }),
    ]);
    expect(acks.map((a) => a.status)).toEqual([200, 200]);
    const waiting = await until(
      async () => {
        const metrics = await scrape(appMetrics);
        return metrics.total('leads_queue_jobs', { state: 'waiting' }) === 2 && metrics;
      },
      15_000,
      'two waiting jobs on the app’s /metrics',
      cluster.output,
    );
    expect(queueOf(waiting)).toEqual({ waiting: 2, active: 0, delayed: 0, failed: 0 });
    expect(waiting.families.get('leads_queue_jobs')).toBe('GAUGE');

    const metricsPort = await freePort();
    const worker = await cluster.addWorker({ METRICS_PORT: String(metricsPort) });
    expect(worker.output()).toContain(`"metrics":"/metrics on port ${metricsPort}"`);
    const workerMetrics = `http://127.0.0.1:${metricsPort}/metrics`;
    for (const channel of ['C500', 'C501']) {
      await until(
        () => resultTables(threadIn(cluster.slack, channel).replies).length === 1,
        60_000,
        `the result in ${channel}`,
        cluster.output,
      );
    }
    // The worker reads the same queue, now drained; the app's own HTTP server is not the worker's.
    const fromWorker = await until(
      async () => {
        const metrics = await scrape(workerMetrics);
        return metrics.total('leads_queue_jobs', { state: 'active' }) === 0 && metrics;
      },
      10_000,
      'the worker’s /metrics to show the queue drained',
      cluster.output,
    );
    expect(queueOf(fromWorker)).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    expect(fromWorker.total('leads_runs_total', { outcome: 'succeeded' })).toBe(2);
    expect(fromWorker.total('leads_llm_calls_total', { outcome: 'ok' })).toBeGreaterThan(0);
    // The app acked and queued both requests and ran neither.
    const fromApp = await scrape(appMetrics);
    expect(fromApp.total('leads_slack_requests_total', { surface: 'command', outcome: 'accepted' })).toBe(2);
    expect(fromApp.total('leads_runs_total')).toBe(0);
    expect(queueOf(fromApp)).toEqual(queueOf(fromWorker));
    expect(await fetch(`http://127.0.0.1:${metricsPort}/healthz`).then((r) => r.status)).toBe(404);

    // Each of the worker's lines about a run names it, its team and its stage.
    const runLines = worker
      .output()
      .split('\n')
      .filter((line) => line.includes('"runId"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(runLines.filter((line) => line.msg === 'run finished')).toHaveLength(2);
    for (const line of runLines)
      expect(line, String(line.msg)).toMatchObject({
        runId: expect.stringMatching(/^run_/),
        team: 'T0001',
        stage: expect.any(String),
      });
  }, 120_000);
});
