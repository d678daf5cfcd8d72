import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leadsDocumentSchema, RunFailedError, type ProgressEvent } from '../../src/domain/types.js';
import { companyKey } from '../../src/domain/grounding.js';
import { normaliseUrl } from '../../src/domain/url.js';
import { FAKE_COMPANIES, fakeWebResults } from '../support/fake-web.js';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness.js';

function allSearchedUrls(h: PipelineHarness): Set<string> {
  // Every URL the fake search engine actually returned for the queries it was sent, normalised as leads carry them.
  const engine = fakeWebResults();
  return new Set(h.tavily.queries.flatMap((query) => engine(query).map((hit) => normaliseUrl(hit.url))));
}

describe('orchestrator run', () => {
  it('returns ten grounded leads with sources, facts and stats for "find me potential customers"', async () => {
    const harness = await startPipelineHarness();
    const events: ProgressEvent[] = [];
    const doc = await harness.services.orchestrator.run({
      text: 'find me potential customers',
      scope: 'cli',
      onProgress: (e) => events.push(e),
    });

    expect(leadsDocumentSchema.parse(doc)).toEqual(doc);
    expect(doc.intent).toEqual({ intent: 'customer', confidence: 0.95, constraints: {} });
    expect(doc.leads).toHaveLength(10);
    expect(doc.leads.map((l) => l.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const scores = doc.leads.map((l) => l.fitScore);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const searchedUrls = allSearchedUrls(harness);
    expect(searchedUrls.size).toBeGreaterThan(50);
    for (const lead of doc.leads) {
      expect(lead.sources.length).toBeGreaterThan(0);
      for (const source of lead.sources) expect(searchedUrls.has(source)).toBe(true);
      expect(lead.website).toMatch(/^https:\/\/[a-z0-9.-]+$/);
      expect(lead.headquarters).not.toBeNull();
      expect(lead.rationale.length).toBeGreaterThan(20);
    }
    expect(doc.stats.llmCalls).toBeGreaterThan(0);
    expect(doc.stats.searches).toBeGreaterThan(10);
    expect(doc.stats.promptTokens).toBeGreaterThan(doc.stats.outputTokens);
    expect(events.map((e) => e.stage)).toEqual(
      expect.arrayContaining(['intent', 'research', 'enrichment', 'scoring', 'done']),
    );
    expect(events.at(-1)?.stage).toBe('done');

    const files = readdirSync(join(harness.dataDir, 'results_cache'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^customer_\d{8}_\d{6}\.json$/);
    expect(JSON.parse(readFileSync(join(harness.dataDir, 'results_cache', files[0] as string), 'utf8'))).toEqual(doc);
    const logs = readdirSync(join(harness.dataDir, 'prompt_logs'));
    expect(logs[0]).toMatch(/^session_\d{8}_\d{6}\.jsonl$/);
  });

  it('drops a company the model invents that no search result names', async () => {
    const harness = await startPipelineHarness({ brain: { inventCompany: 'Phantom Motors Group' } });
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli', top: 50 });
    const stored = await harness.services.orchestrator.getRun('cli', doc.runId);
    expect(harness.ollama.calls.some((c) => JSON.stringify(c.messages).includes('Phantom'))).toBe(false);
    expect(stored?.candidates?.some((c) => c.name.includes('Phantom'))).toBe(false);
    expect(doc.leads.some((l) => l.name.includes('Phantom'))).toBe(false);
  });

  it('merges name variants into one lead and never lists a competitor or AxleWave itself', async () => {
    const harness = await startPipelineHarness();
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli', top: 50 });
    const stored = await harness.services.orchestrator.getRun('cli', doc.runId);
    const keys = stored!.candidates!.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    // The fake web writes "X, Inc." on some pages and "X" on others: each company appears once, without the suffix.
    expect(stored!.candidates!.some((c) => /,? Inc\.?$/.test(c.name))).toBe(false);
    const domains = doc.leads.map((l) => l.website).filter(Boolean);
    expect(new Set(domains).size).toBe(domains.length);
    const excluded = FAKE_COMPANIES.filter((c) => c.kind === 'competitor' || c.kind === 'self').map((c) =>
      companyKey(c.name),
    );
    expect(excluded.length).toBeGreaterThan(1);
    for (const lead of doc.leads) expect(excluded).not.toContain(companyKey(lead.name));
    expect(keys.some((k) => excluded.includes(k))).toBe(false);
    // The model was shown the competitors (they are in the results) and did name them: grounding removed them.
    expect(harness.ollama.calls.some((c) => JSON.stringify(c.messages).includes('CDK Global'))).toBe(true);
  });

  it('answers the same request again from the cache with zero LLM calls and zero searches', async () => {
    const harness = await startPipelineHarness();
    const first = await harness.services.orchestrator.run({ text: 'find me potential customers', scope: 'cli' });
    const llmCalls = harness.ollama.calls.length;
    const searches = harness.tavily.requests.length;
    const second = await harness.services.orchestrator.run({ text: 'find me potential customers', scope: 'cli' });
    expect(harness.ollama.calls.length).toBe(llmCalls);
    expect(harness.tavily.requests.length).toBe(searches);
    expect(second.stats.llmCalls).toBe(0);
    expect(second.stats.searches).toBe(0);
    expect(second.stats.cacheHits).toBeGreaterThan(0);
    expect(second.leads).toEqual(first.leads);
    expect(second.runId).not.toBe(first.runId);
  });

  it('bypasses the caches with fresh', async () => {
    const harness = await startPipelineHarness();
    await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' });
    const calls = harness.ollama.calls.length;
    const fresh = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli', fresh: true });
    expect(fresh.stats.llmCalls).toBeGreaterThan(0);
    expect(fresh.stats.cacheHits).toBe(0);
    expect(harness.ollama.calls.length).toBeGreaterThan(calls);
  });

  it('keeps caches apart per workspace', async () => {
    const harness = await startPipelineHarness();
    await harness.services.orchestrator.run({ text: 'find customers', scope: 'T111' });
    const other = await harness.services.orchestrator.run({ text: 'find customers', scope: 'T222' });
    expect(other.stats.cacheHits).toBe(0);
    expect(other.stats.llmCalls).toBeGreaterThan(0);
    expect(await harness.services.orchestrator.getRun('T111', other.runId)).toBeUndefined();
    expect(readdirSync(join(harness.dataDir, 'results_cache')).sort()).toEqual(['T111', 'T222']);
  });

  it('re-scores a stored run with a note using scoring calls only, reusing enrichment', async () => {
    const harness = await startPipelineHarness();
    const first = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' });
    const searches = harness.tavily.requests.length;
    const calls = harness.ollama.calls.length;
    const result = await harness.services.orchestrator.rescore({
      runId: first.runId,
      scope: 'cli',
      note: 'favour groups that just bought stores',
    });
    expect(harness.tavily.requests.length).toBe(searches);
    const newCalls = harness.ollama.calls.slice(calls);
    expect(newCalls.length).toBeGreaterThan(0);
    expect(
      newCalls.every((c) => Object.keys((c.format as { properties: object }).properties).join() === 'scores'),
    ).toBe(true);
    expect(
      newCalls.every((c) => c.messages.some((m) => m.content.includes('favour groups that just bought stores'))),
    ).toBe(true);
    expect(result.runId).toBe(first.runId);
    expect(result.leads).toHaveLength(10);
    expect(result.changes.some((c) => c.change !== 'same')).toBe(true);
    const stored = await harness.services.orchestrator.getRun('cli', first.runId);
    expect(stored?.notes).toEqual(['favour groups that just bought stores']);
    expect(stored?.leads).toEqual(result.leads);
  });

  it('refuses to re-score a run of another workspace', async () => {
    const harness = await startPipelineHarness();
    const first = await harness.services.orchestrator.run({ text: 'find customers', scope: 'T111' });
    await expect(harness.services.orchestrator.rescore({ runId: first.runId, scope: 'T999' })).rejects.toThrow(
      /no run/i,
    );
  });

  it('reuses per-company enrichment when a partner request overlaps a customer request', async () => {
    const harness = await startPipelineHarness();
    await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' });
    const both = await harness.services.orchestrator.run({ text: 'find customers and partners', scope: 'cli' });
    expect(both.intent.intent).toBe('both');
    expect(both.stats.cacheHits).toBeGreaterThan(0);
  });

  it('fails clearly, stores the failed run and never asks the model when search returns nothing', async () => {
    const harness = await startPipelineHarness({ web: { emptyFor: [''] } });
    const error = await harness.services.orchestrator
      .run({ text: 'find customers', scope: 'cli' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailedError);
    expect((error as Error).message).toMatch(/no results/i);
    expect(harness.ollama.calls).toHaveLength(0);
    const stored = await harness.services.orchestrator.getRun('cli', (error as RunFailedError).runId);
    expect(stored?.status).toBe('failed');
    expect(stored?.error).toMatch(/no results/i);
  });

  it('sends free-text requests to the model for intent and queries', async () => {
    const harness = await startPipelineHarness();
    const doc = await harness.services.orchestrator.run({
      text: 'dealer groups in Texas we could sell to',
      scope: 'cli',
    });
    expect(doc.intent.intent).toBe('customer');
    expect(doc.intent.constraints.region).toBe('Texas');
    const kinds = harness.ollama.calls.map((c) => Object.keys((c.format as { properties: object }).properties)[0]);
    expect(kinds).toContain('intent');
    expect(kinds).toContain('queries');
    expect(doc.leads.length).toBeGreaterThan(0);
  });
});
