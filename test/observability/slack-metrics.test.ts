// GET /metrics on the Slack app's HTTP port, scraped and parsed as Prometheus would, after requests that ran
// through the real pipeline (fake LLM and search) and the real Bolt app (fake Slack Web API).
import { describe, expect, it } from 'vitest';
import type { RunStats } from '../../src/domain/types.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { createScriptedOrchestrator } from '../slack/support/scripted-orchestrator.js';
import { startSlackTestApp, type SlackTestApp } from '../slack/support/slack-test-app.js';
import { resultIn, threadOf } from '../slack/support/thread-shape.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { parseScrape, type Scrape } from '../support/prometheus-text.js';

async function scrape(app: SlackTestApp): Promise<Scrape> {
  const response = await fetch(`${app.baseUrl}/metrics`);
  expect(response.status).toBe(200);
  return parseScrape(await response.text());
}

/** The run ids of the result tables in the thread, oldest first. */
function resultRunIds(app: SlackTestApp): string[] {
  return app.fake.messages
    .filter((m) => m.thread_ts && resultIn([m])?.table)
    .map((m) => resultIn([m])!.buttons[0]!.value);
}

function sumStats(all: RunStats[]) {
  const add = (key: 'llmCalls' | 'promptTokens' | 'outputTokens' | 'searches' | 'cacheHits') =>
    all.reduce((sum, s) => sum + s[key], 0);
  return {
    llmCalls: add('llmCalls'),
    promptTokens: add('promptTokens'),
    outputTokens: add('outputTokens'),
    searches: add('searches'),
    cacheHits: add('cacheHits'),
  };
}

/** The scraped counters that a run's stats also count, added up over the runs so far. */
function countersOf(s: Scrape) {
  return {
    llmCalls: s.total('leads_llm_calls_total', { outcome: 'ok' }),
    promptTokens: s.total('leads_llm_tokens_total', { kind: 'prompt' }),
    outputTokens: s.total('leads_llm_tokens_total', { kind: 'output' }),
    searches: s.total('leads_search_requests_total'),
    cacheHits: ['search', 'llm', 'enrichment'].reduce(
      (sum, kind) => sum + s.total('leads_cache_lookups_total', { kind, result: 'hit' }),
      0,
    ),
  };
}

describe('GET /metrics on the Slack app', () => {
  it('counts exactly what the runs’ own stats count: model calls, tokens, searches, cache hits, stage and run times', async () => {
    const harness = await startPipelineHarness();
    const t = await startSlackTestApp(harness.services.orchestrator, {
      deps: { metrics: harness.services.metrics },
    });

    await t.command('find customers');
    await t.slack.idle();
    const afterFirst = await scrape(t);
    const [firstId] = resultRunIds(t);
    const first = (await harness.services.orchestrator.getRun('T0001', firstId!))!;
    expect(first.status).toBe('succeeded');
    expect(first.stats.llmCalls).toBeGreaterThan(0);
    expect(first.stats.searches).toBeGreaterThan(0);

    expect(countersOf(afterFirst)).toEqual(sumStats([first.stats]));
    // A clean run: every model attempt was answered, every search answered with results.
    expect(afterFirst.total('leads_llm_calls_total')).toBe(first.stats.llmCalls);
    expect(afterFirst.labelValues('leads_llm_calls_total', 'model')).toEqual(['llama3.1:8b']);
    expect(afterFirst.total('leads_search_requests_total', { provider: 'tavily', outcome: 'ok' })).toBe(
      first.stats.searches,
    );
    expect(afterFirst.total('leads_llm_in_flight')).toBe(0);
    expect(afterFirst.total('leads_runs_total')).toBe(1);
    expect(afterFirst.total('leads_runs_total', { outcome: 'succeeded', intent: 'customer' })).toBe(1);
    expect(afterFirst.total('leads_run_duration_seconds_count', { intent: 'customer' })).toBe(1);
    expect(afterFirst.total('leads_run_duration_seconds_sum', { intent: 'customer' })).toBeCloseTo(
      first.stats.durationMs / 1000,
      1,
    );
    for (const stage of ['intent', 'research', 'enrichment', 'scoring'] as const) {
      expect(afterFirst.total('leads_stage_duration_seconds_count', { stage }), stage).toBe(1);
      expect(afterFirst.total('leads_stage_duration_seconds_sum', { stage }), stage).toBeCloseTo(
        first.stats.stageMs[stage]! / 1000,
        2,
      );
    }
    expect(afterFirst.total('leads_leads_per_run_sum')).toBe(first.leads!.length);
    expect(afterFirst.total('leads_low_quality_runs_total')).toBe(0);
    expect(afterFirst.total('leads_slack_requests_total', { surface: 'command', outcome: 'accepted' })).toBe(1);
    expect(afterFirst.total('leads_slack_ack_duration_seconds_count')).toBe(1);
    expect(afterFirst.total('leads_slack_ack_duration_seconds_bucket', { le: '3' })).toBe(1);
    expect(afterFirst.total('leads_slack_api_errors_total')).toBe(0);

    // The same request again is served from the caches; the counters keep adding up to the runs' stats.
    await t.command('find customers', { triggerId: 'trigger-2' });
    await t.slack.idle();
    const afterSecond = await scrape(t);
    const [, secondId] = resultRunIds(t);
    const second = (await harness.services.orchestrator.getRun('T0001', secondId!))!;
    expect(second.stats.cacheHits).toBeGreaterThan(0);
    expect(countersOf(afterSecond)).toEqual(sumStats([first.stats, second.stats]));
    expect(afterSecond.total('leads_runs_total', { outcome: 'succeeded', intent: 'customer' })).toBe(2);

    // No label carries a workspace, a person, the request or a company.
    const labelValues = afterSecond.samples.flatMap((sample) => Object.values(sample.labels));
    const names = first.leads!.map((lead) => lead.name);
    for (const value of labelValues) {
      expect(value).not.toMatch(/T0001|U0001|C0001|find customers|potential customers/);
      expect(names).not.toContain(value);
    }
  });

  it('counts each delivery by surface and outcome, and Slack API failures by method and error, 429s included', async () => {
    const metrics = createMetrics();
    const t = await startSlackTestApp(createScriptedOrchestrator(), { deps: { metrics } });
    t.fake.rateLimit('chat.update', 1);
    await t.command('find customers', { triggerId: 'a' });
    await t.command('find customers', { triggerId: 'a' });
    await t.command('help', { triggerId: 'b' });
    await t.command('find', { triggerId: 'c' });
    await t.command('find customers', { teamId: 'T9999', triggerId: 'd' });
    await t.slack.idle();
    const result = resultIn(threadOf(t.fake).replies)!;
    await t.button('leads_export_csv', result.buttons[1]!.value);
    await t.slack.idle();
    t.fake.failWith('chat.postMessage', 'not_in_channel');
    await t.mention('<@UBOT> find partners', { channelId: 'C0002', eventId: 'Ev2' });
    await t.slack.idle();

    const s = await scrape(t);
    expect(s.total('leads_slack_requests_total', { surface: 'command', outcome: 'accepted' })).toBe(1);
    expect(s.total('leads_slack_requests_total', { surface: 'command', outcome: 'duplicate' })).toBe(1);
    expect(s.total('leads_slack_requests_total', { surface: 'command', outcome: 'help' })).toBe(1);
    expect(s.total('leads_slack_requests_total', { surface: 'command', outcome: 'invalid' })).toBe(1);
    expect(s.total('leads_slack_requests_total', { surface: 'command', outcome: 'refused' })).toBe(1);
    expect(s.total('leads_slack_requests_total', { surface: 'action', outcome: 'accepted' })).toBe(1);
    expect(s.total('leads_slack_requests_total', { surface: 'mention', outcome: 'accepted' })).toBe(1);
    expect(s.total('leads_slack_ack_duration_seconds_count')).toBe(7);
    expect(s.total('leads_slack_api_errors_total', { method: 'chat.update', error: 'ratelimited' })).toBe(1);
    expect(s.total('leads_slack_api_errors_total', { method: 'chat.postMessage', error: 'not_in_channel' })).toBe(1);
    expect(s.total('leads_slack_api_errors_total')).toBe(2);
  });
});
