// Flaky web search. Some queries failing still gives a result; every query failing says what to configure; a
// query that finds nothing never becomes companies the model made up.
import { describe, expect, it } from 'vitest';
import { normaliseUrl } from '../../src/domain/url.js';
import { fakeWebResults } from '../support/fake-web.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { failureOf } from './helpers.js';

describe('search faults during a run', () => {
  it('completes from the other queries when some queries get a 429, a 500 and a timeout, citing only pages that were served', async () => {
    const harness = await startPipelineHarness({ env: { SEARCH_TIMEOUT_MS: '1000' } });
    harness.tavily.enqueueFailure({ kind: 'rate_limited', retryAfterSeconds: 1 }, 'server_error', {
      kind: 'slow',
      delayMs: 4_000,
    });
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' });

    // The first three queries the fake answered got the 429, the 500 and the slow reply; while tavily cooled
    // down after the 429 more queries were skipped without a request. Everything else was served.
    const logs = harness.logs();
    for (const kind of ['rate_limited', 'server_error', 'timeout']) expect(logs).toContain(`"kind":"${kind}"`);
    expect(doc.leads).toHaveLength(10);
    const engine = fakeWebResults();
    const served = new Set(
      harness.tavily.queries.slice(3).flatMap((q) => engine(q).map((hit) => normaliseUrl(hit.url))),
    );
    for (const lead of doc.leads) for (const source of lead.sources) expect(served.has(source), source).toBe(true);
  });

  it('fails clearly, naming the provider and what to configure, and asks the model nothing when every query fails', async () => {
    const harness = await startPipelineHarness();
    harness.tavily.enqueueFailure(...Array.from({ length: 40 }, () => 'server_error' as const));
    const failure = await failureOf(harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' }));

    expect(failure.message).toMatch(/Web search failed/);
    expect(failure.message).toMatch(/tavily: server error/);
    expect(failure.message).toMatch(/Set SERPER_API_KEY, GOOGLE_CSE_KEY\+GOOGLE_CSE_CX or SEARXNG_URL/);
    expect(harness.ollama.calls).toHaveLength(0);
    const stored = await harness.services.orchestrator.getRun('cli', failure.runId);
    expect(stored?.status).toBe('failed');
    expect(stored?.error).toBe(failure.message);
  });

  it('never turns empty queries into invented companies: with one query returning pages, a name the model adds is dropped', async () => {
    const harness = await startPipelineHarness({
      brain: { inventCompany: 'Phantom Motor Group' },
      // Of the profile's customer queries only "rv dealer groups United States" returns pages.
      web: { emptyFor: ['franchised', 'commercial truck', 'powersports'] },
    });
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli', top: 50 });
    const stored = await harness.services.orchestrator.getRun('cli', doc.runId);

    const served = fakeWebResults()('rv dealer groups United States').map((hit) => normaliseUrl(hit.url));
    expect(served.length).toBeGreaterThan(0);
    expect(stored?.candidates?.length).toBeGreaterThan(0);
    for (const candidate of stored?.candidates ?? []) {
      for (const source of candidate.sources) expect(served, candidate.name).toContain(source);
    }
    expect(stored?.candidates?.some((c) => c.name.includes('Phantom'))).toBe(false);
    expect(doc.leads.some((l) => l.name.includes('Phantom'))).toBe(false);
  });
});
