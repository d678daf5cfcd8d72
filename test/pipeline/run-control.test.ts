// Cancelling and failing runs stop their work, and identical runs at the same time share it, without one
// caller's cancellation cutting the other short.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RunAbortedError } from '../../src/errors.js';
import { createOllamaProvider } from '../../src/llm/ollama-provider.js';
import { createSearchClient } from '../../src/search/search-client.js';
import { createTavilyProvider } from '../../src/search/tavily-provider.js';
import { startFakeOllama } from '../fakes/fake-ollama.js';
import { startFakeTavily } from '../fakes/fake-tavily.js';
import { clientFor, memoryCache, requestFor } from '../llm/helpers.js';
import { memoryCache as searchCache, silentLogger } from '../search/helpers.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { failureOf } from './helpers.js';

describe('run control', () => {
  it('stops a cancelled run, stores it as failed with its candidates, and makes no LLM call after it ends', async () => {
    const harness = await startPipelineHarness();
    const controller = new AbortController();
    const failure = await failureOf(
      harness.services.orchestrator.run({
        text: 'find customers',
        scope: 'cli',
        signal: controller.signal,
        onProgress: (event) => {
          if (event.stage === 'enrichment') controller.abort();
        },
      }),
    );
    const endedAt = Date.now();

    expect(failure.message).toMatch(/cancelled/i);
    const stored = await harness.services.orchestrator.getRun('cli', failure.runId);
    expect(stored?.status).toBe('failed');
    expect(stored?.error).toMatch(/cancelled/i);
    expect(stored?.candidates?.length).toBeGreaterThanOrEqual(10);
    expect(stored?.enrichment).toBeUndefined();
    await sleep(500);
    expect(harness.ollama.calls.filter((c) => c.receivedAt > endedAt)).toHaveLength(0);
  });

  it('stops the other LLM calls of a run as soon as one of them fails the run', async () => {
    const harness = await startPipelineHarness();
    // Extraction passes; the first enrichment call fails for good (HTTP 400) while the second is slow.
    harness.ollama.enqueue({ delayMs: 1 }, { delayMs: 1 }, { status: 400, error: 'bad request' }, { delayMs: 1_500 });
    const failure = await failureOf(harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' }));
    const endedAt = Date.now();

    expect(failure.message).toMatch(/rejected the request/);
    await sleep(2_000);
    // Two extraction calls, the failing call and at most the one slow call beside it: the other batches never went out.
    expect(harness.ollama.calls.filter((c) => c.receivedAt > endedAt)).toHaveLength(0);
    expect(harness.ollama.calls.length).toBeLessThanOrEqual(4);
  });

  it('makes one set of LLM calls and searches for two identical runs started together', async () => {
    const harness = await startPipelineHarness();
    const request = { text: 'find me potential customers', scope: 'T111' };
    const [first, second] = await Promise.all([
      harness.services.orchestrator.run(request),
      harness.services.orchestrator.run(request),
    ]);
    const sharedCalls = harness.ollama.calls.length;
    const sharedSearches = harness.tavily.requests.length;
    await harness.services.orchestrator.run({ ...request, fresh: true });

    expect(second.leads).toEqual(first.leads);
    expect(second.runId).not.toBe(first.runId);
    expect(sharedCalls).toBeGreaterThan(0);
    expect(sharedCalls).toBe(harness.ollama.calls.length - sharedCalls);
    expect(sharedSearches).toBe(harness.tavily.requests.length - sharedSearches);
  });

  it('answers a caller whose identical LLM call was shared with a caller that then cancelled', async () => {
    const ollama = await startFakeOllama({ respond: () => ({ name: 'AutoNation', website: null, rooftops: 240 }) });
    try {
      const client = clientFor(createOllamaProvider({ host: ollama.url, model: 'llama3.1:8b' }), {
        cache: memoryCache(),
      });
      ollama.enqueue({ delayMs: 300 });
      const owner = new AbortController();
      const first = client.generateObject(requestFor({ signal: owner.signal }));
      const second = client.generateObject(requestFor());
      setTimeout(() => owner.abort(), 50);

      await expect(first).rejects.toBeInstanceOf(RunAbortedError);
      await expect(second).resolves.toMatchObject({ data: { name: 'AutoNation', rooftops: 240 } });
    } finally {
      await ollama.close();
    }
  });

  it('answers a caller whose identical search was shared with a caller that then cancelled', async () => {
    const tavily = await startFakeTavily({ latencyMs: 300 });
    try {
      const search = createSearchClient({
        providers: [createTavilyProvider({ apiKey: 'k', apiBaseURL: tavily.url })],
        cache: searchCache(),
        logger: silentLogger,
        timeoutMs: 5_000,
      });
      const owner = new AbortController();
      const first = search.search('dealer groups in Texas', { scope: 'T1', signal: owner.signal });
      const second = search.search('dealer groups in Texas', { scope: 'T1' });
      setTimeout(() => owner.abort(), 50);

      await expect(first).rejects.toBeInstanceOf(RunAbortedError);
      expect((await second).results.length).toBeGreaterThan(0);
    } finally {
      await tavily.close();
    }
  });
});
