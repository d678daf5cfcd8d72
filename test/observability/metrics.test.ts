import { describe, expect, it } from 'vitest';
import { createMetrics, disabledMetrics, type QueueCounts } from '../../src/metrics/metrics.js';
import { startMetricsServer, type MetricsServer } from '../../src/metrics/metrics-server.js';
import { parseScrape } from '../support/prometheus-text.js';
import { afterTest } from '../support/teardown.js';

/** A metrics server on a free port, closed after the test. */
async function serve(registry: Parameters<typeof startMetricsServer>[1]): Promise<MetricsServer> {
  const server = await startMetricsServer(0, registry, '127.0.0.1');
  afterTest({ close: () => server.close() });
  return server;
}

/** Serves the registry on a free port and scrapes it over HTTP, as Prometheus does. */
async function scrape(metrics = createMetrics()) {
  const server = await serve(metrics.registry);
  const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  const text = await response.text();
  return parseScrape(text);
}

describe('metrics', () => {
  it('serves the default process metrics and every leads_ family before anything happened', async () => {
    const s = await scrape();
    for (const name of [
      'leads_runs_total',
      'leads_run_duration_seconds',
      'leads_stage_duration_seconds',
      'leads_llm_calls_total',
      'leads_llm_tokens_total',
      'leads_llm_call_duration_seconds',
      'leads_llm_in_flight',
      'leads_search_requests_total',
      'leads_cache_lookups_total',
      'leads_leads_per_run',
      'leads_low_quality_runs_total',
      'leads_slack_requests_total',
      'leads_slack_ack_duration_seconds',
      'leads_slack_api_errors_total',
    ]) {
      expect(s.families.has(name), name).toBe(true);
    }
    expect(s.families.get('process_cpu_user_seconds_total')).toBe('COUNTER');
    expect(s.families.has('nodejs_eventloop_lag_seconds')).toBe(true);
    // Fixed label sets start at zero, so the first failure already moves a rate.
    expect(
      s.samples.find(
        (x) => x.name === 'leads_runs_total' && x.labels.outcome === 'failed' && x.labels.intent === 'partner',
      )?.value,
    ).toBe(0);
    expect(s.labelValues('leads_search_requests_total', 'outcome').sort()).toEqual([
      'blocked',
      'empty',
      'error',
      'ok',
      'rate_limited',
      'timeout',
    ]);
    // Without a queue there is no queue gauge at all.
    expect(s.families.has('leads_queue_jobs')).toBe(false);
  });

  it('counts a low-quality run below five leads, or below what was asked when fewer were asked', async () => {
    const metrics = createMetrics();
    metrics.runEnded({ outcome: 'succeeded', intent: 'customer', durationMs: 21_000, leads: 3, top: 10 });
    metrics.runEnded({ outcome: 'succeeded', intent: 'customer', durationMs: 9_000, leads: 3, top: 3 });
    metrics.runEnded({ outcome: 'empty', intent: 'partner', durationMs: 4_000, leads: 0, top: 10 });
    metrics.runEnded({ outcome: 'failed', intent: 'unknown', durationMs: 60_000 });
    const s = await scrape(metrics);
    expect(s.total('leads_low_quality_runs_total')).toBe(2);
    expect(s.total('leads_leads_per_run_count')).toBe(3);
    expect(s.total('leads_leads_per_run_sum')).toBe(6);
    expect(s.total('leads_runs_total', { outcome: 'succeeded', intent: 'customer' })).toBe(2);
    expect(s.total('leads_runs_total', { outcome: 'empty' })).toBe(1);
    expect(s.total('leads_run_duration_seconds_sum', { intent: 'unknown' })).toBe(60);
    expect(s.total('leads_run_duration_seconds_bucket', { intent: 'customer', le: '10' })).toBe(1);
  });

  it('keeps label values to fixed sets: anything that is not a name from the code becomes "other"', async () => {
    const metrics = createMetrics();
    metrics.llmAttempt({
      agent: 'Harbor Auto Holdings, Inc.',
      model: 'llama3.1:8b',
      outcome: 'ok',
      latencyMs: 800,
      promptTokens: 100,
      outputTokens: 20,
    });
    metrics.llmAttempt({
      agent: 'scoring.screen',
      model: 'find me dealers in <Texas>',
      outcome: 'error',
      latencyMs: 60_000,
    });
    metrics.slackApiError('chat.postMessage', 'An API error occurred: not_in_channel');
    metrics.slackApiError('https://files.slack.com/upload/v1/abc', 'ratelimited');
    const s = await scrape(metrics);
    expect(s.labelValues('leads_llm_calls_total', 'agent').sort()).toEqual(['other', 'scoring.screen']);
    expect(s.labelValues('leads_llm_calls_total', 'model').sort()).toEqual(['llama3.1:8b', 'other']);
    expect(s.total('leads_llm_tokens_total', { agent: 'other', kind: 'prompt' })).toBe(100);
    expect(s.samples.filter((x) => x.name === 'leads_slack_api_errors_total').map((x) => x.labels)).toEqual([
      { method: 'chat.postMessage', error: 'other' },
      { method: 'other', error: 'ratelimited' },
    ]);
  });

  it('reads leads_queue_jobs from the registered collector at each scrape, and leaves it out when the queue cannot be read', async () => {
    const metrics = createMetrics();
    let counts: QueueCounts | Error = { waiting: 7, active: 2, delayed: 1, failed: 0 };
    metrics.registerQueueGauge(async () => {
      if (counts instanceof Error) throw counts;
      return counts;
    });
    let s = await scrape(metrics);
    expect(s.samples.filter((x) => x.name === 'leads_queue_jobs').map((x) => [x.labels.state, x.value])).toEqual([
      ['waiting', 7],
      ['active', 2],
      ['delayed', 1],
      ['failed', 0],
    ]);
    counts = { waiting: 0, active: 1, delayed: 0, failed: 3 };
    s = await scrape(metrics);
    expect(s.total('leads_queue_jobs', { state: 'failed' })).toBe(3);
    expect(s.total('leads_queue_jobs', { state: 'waiting' })).toBe(0);
    counts = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    s = await scrape(metrics);
    expect(s.samples.filter((x) => x.name === 'leads_queue_jobs')).toEqual([]);
    expect(s.families.has('leads_runs_total')).toBe(true);
  });

  it('tracks model calls in flight, each released once', async () => {
    const metrics = createMetrics();
    const first = metrics.llmStarted();
    const second = metrics.llmStarted();
    expect((await scrape(metrics)).total('leads_llm_in_flight')).toBe(2);
    first();
    first();
    expect((await scrape(metrics)).total('leads_llm_in_flight')).toBe(1);
    second();
    expect((await scrape(metrics)).total('leads_llm_in_flight')).toBe(0);
  });

  it('answers 404 on any other path, and records nothing when metrics are off', async () => {
    const server = await serve(createMetrics().registry);
    expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
    const off = disabledMetrics();
    off.runEnded({ outcome: 'succeeded', intent: 'customer', durationMs: 1000, leads: 10 });
    off.registerQueueGauge(async () => ({ waiting: 1, active: 0, delayed: 0, failed: 0 }));
    expect(await off.registry.metrics()).toBe('\n');
  });
});
