// What an operator's alerts read when things go wrong: the pipeline against misbehaving fakes, its registry
// scraped as text and parsed.
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { NoLeadsError, RunFailedError, type StoredRun } from '../../src/domain/types.js';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness.js';
import { parseScrape } from '../support/prometheus-text.js';
import { idsNotFromThePrompt, onlyFirstReasons } from '../support/reported-failures.js';

async function scrape(h: PipelineHarness) {
  return parseScrape(await h.services.metrics.registry.metrics());
}

describe('metrics of runs that go wrong', () => {
  it('counts retries and the final error when the model host fails every call, and the run as failed', async () => {
    const harness = await startPipelineHarness({ env: { LLM_TIMEOUT_MS: '3000' } });
    // It answers the check before the run (its model list), then fails each call.
    harness.ollama.enqueue(...Array.from({ length: 3 }, () => ({ status: 500, error: 'model runner has crashed' })));
    const error = await harness.services.orchestrator
      .run({ text: 'dealer groups in Ohio that might want a new DMS', scope: 'cli' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailedError);

    const s = await scrape(harness);
    expect(s.total('leads_llm_calls_total', { agent: 'intent', model: 'llama3.1:8b', outcome: 'retry' })).toBe(2);
    expect(s.total('leads_llm_calls_total', { agent: 'intent', outcome: 'error' })).toBe(1);
    expect(s.total('leads_llm_calls_total', { outcome: 'ok' })).toBe(0);
    expect(s.total('leads_llm_tokens_total')).toBe(0);
    expect(s.total('leads_llm_call_duration_seconds_count', { agent: 'intent' })).toBe(3);
    expect(s.total('leads_llm_in_flight')).toBe(0);
    expect(s.total('leads_runs_total', { outcome: 'failed', intent: 'unknown' })).toBe(1);
    expect(s.total('leads_run_duration_seconds_count', { intent: 'unknown' })).toBe(1);
    // The stage that failed is timed too: that is where the run spent its time.
    expect(s.total('leads_stage_duration_seconds_count', { stage: 'intent' })).toBe(1);
    expect(s.total('leads_stage_duration_seconds_count', { stage: 'research' })).toBe(0);
    // No leads were counted for a run that broke.
    expect(s.total('leads_leads_per_run_count')).toBe(0);
  });

  it('counts a run the check before searching stopped as failed, with no model call and no stage timed', async () => {
    const harness = await startPipelineHarness();
    await harness.ollama.close();
    await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' }).catch(() => undefined);
    const s = await scrape(harness);
    expect(s.total('leads_runs_total', { outcome: 'failed' })).toBe(1);
    expect(s.total('leads_llm_calls_total')).toBe(0);
    expect(s.total('leads_search_requests_total')).toBe(0);
    expect(s.total('leads_stage_duration_seconds_count')).toBe(0);
  });

  it('counts each search provider answer by outcome, adding up to the run’s searches', async () => {
    const harness = await startPipelineHarness({ env: { SEARCH_TIMEOUT_MS: '1000' } });
    harness.tavily.enqueueFailure({ kind: 'rate_limited', retryAfterSeconds: 1 }, 'server_error', {
      kind: 'slow',
      delayMs: 3_000,
    });
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' });

    const s = await scrape(harness);
    expect(s.total('leads_search_requests_total', { provider: 'tavily', outcome: 'rate_limited' })).toBe(1);
    expect(s.total('leads_search_requests_total', { provider: 'tavily', outcome: 'error' })).toBe(1);
    expect(s.total('leads_search_requests_total', { provider: 'tavily', outcome: 'timeout' })).toBe(1);
    expect(s.total('leads_search_requests_total')).toBe(doc.stats.searches);
    expect(
      s.total('leads_search_requests_total', { outcome: 'ok' }) +
        s.total('leads_search_requests_total', { outcome: 'empty' }),
    ).toBe(doc.stats.searches - 3);
    expect(s.total('leads_runs_total', { outcome: 'succeeded', intent: 'customer' })).toBe(1);
  });

  it('counts a run with no company fit as empty and one with three leads as succeeded, both low quality', async () => {
    const harness = await startPipelineHarness({ brain: { corrupt: idsNotFromThePrompt } });
    await expect(harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' })).rejects.toBeInstanceOf(
      NoLeadsError,
    );
    let s = await scrape(harness);
    expect(s.total('leads_runs_total', { outcome: 'empty', intent: 'customer' })).toBe(1);
    expect(s.total('leads_runs_total', { outcome: 'failed' })).toBe(0);
    expect(s.total('leads_leads_per_run_count')).toBe(1);
    expect(s.total('leads_leads_per_run_sum')).toBe(0);
    expect(s.total('leads_low_quality_runs_total')).toBe(1);
    const summary = harness
      .logs()
      .split('\n')
      .filter((line) => line.includes('"msg":"run failed"'));
    expect(summary).toHaveLength(1);
    expect(JSON.parse(summary[0]!)).toMatchObject({
      outcome: 'empty',
      stage: 'failed',
      funnel: { namesFound: expect.any(Number) },
    });
    await harness.close();

    const second = await startPipelineHarness({ brain: { corrupt: onlyFirstReasons(3) } });
    const few = await second.services.orchestrator.run({ text: 'find customers', scope: 'cli' });
    expect(few.leads).toHaveLength(3);
    s = await scrape(second);
    expect(s.total('leads_runs_total', { outcome: 'succeeded', intent: 'customer' })).toBe(1);
    expect(s.total('leads_leads_per_run_sum')).toBe(3);
    expect(s.total('leads_low_quality_runs_total')).toBe(1);
  });

  it('counts runs cut off by a restart, and runs their caller cancelled, as interrupted', async () => {
    const harness = await startPipelineHarness();
    const at = new Date().toISOString();
    const cutOff: StoredRun = {
      runId: 'run_cut_off_1',
      scope: 'T0001',
      origin: { kind: 'slack', teamId: 'T0001', channelId: 'C0001', userId: 'U0001', threadTs: '1700000000.000001' },
      request: 'find partners',
      status: 'running',
      stage: 'enrichment',
      createdAt: at,
      updatedAt: at,
      intent: { intent: 'partner', confidence: 0.9, constraints: {} },
      stats: {
        llmCalls: 3,
        promptTokens: 900,
        outputTokens: 90,
        searches: 10,
        cacheHits: 0,
        durationMs: 0,
        stageMs: {},
        warnings: [],
      },
      top: 10,
      owner: { host: hostname(), pid: 999_999_999 },
    };
    await harness.services.runs.save(cutOff);
    expect(await harness.services.orchestrator.interruptUnfinished()).toHaveLength(1);

    const controller = new AbortController();
    const cancelled = harness.services.orchestrator.run({
      text: 'find customers',
      scope: 'cli',
      signal: controller.signal,
      onProgress: (event) => event.stage === 'enrichment' && controller.abort(new Error('Ctrl-C')),
    });
    await expect(cancelled).rejects.toBeInstanceOf(RunFailedError);

    const s = await scrape(harness);
    expect(s.total('leads_runs_total', { outcome: 'interrupted', intent: 'partner' })).toBe(1);
    expect(s.total('leads_runs_total', { outcome: 'interrupted', intent: 'customer' })).toBe(1);
    expect(s.total('leads_runs_total', { outcome: 'failed' })).toBe(0);
    // A run cut off by a restart has no known duration; the cancelled one does.
    expect(s.total('leads_run_duration_seconds_count')).toBe(1);
    expect(s.total('leads_cache_lookups_total', { kind: 'run', result: 'hit' })).toBe(0);
    await harness.services.orchestrator.getRun('T0001', 'run_cut_off_1');
    await harness.services.orchestrator.getRun('T0002', 'run_cut_off_1');
    const after = await scrape(harness);
    expect(after.total('leads_cache_lookups_total', { kind: 'run', result: 'hit' })).toBe(1);
    expect(after.total('leads_cache_lookups_total', { kind: 'run', result: 'miss' })).toBe(1);
  });
});
