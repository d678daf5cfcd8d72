// One bad entry never breaks a request: every cache and run-store read is validated, an unusable entry is a miss
// (logged once, then overwritten), and the active-runs index is rebuilt from the runs and expires on its own.
import type Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../../src/domain/types.js';
import { ACTIVE_INDEX_TTL } from '../../src/store/run-store.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';

type RawStore = {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  iterator(namespace?: string): AsyncIterable<[string, string]>;
};
const rawStore = (keyv: Keyv) => keyv.store as RawStore;

async function keysLike(keyv: Keyv, part: string): Promise<string[]> {
  const keys: string[] = [];
  // The store's own namespace (REDIS_PREFIX in Redis mode; none for SQLite).
  for await (const [key] of rawStore(keyv).iterator(keyv.namespace)) if (key.includes(part)) keys.push(key);
  return keys;
}

function warningsAbout(logs: string, message: string): Record<string, unknown>[] {
  return logs
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === message);
}

describe('bad cache entries', () => {
  it('treats corrupt and wrong-shape model-answer, search and enrichment entries as misses, logs each once and overwrites it', async () => {
    const harness = await startPipelineHarness();
    const { orchestrator, keyv } = harness.services;
    await orchestrator.run({ text: 'find customers', scope: 'cli' });
    const keys = [
      ...(await keysLike(keyv, ':llm:')),
      ...(await keysLike(keyv, ':search:')),
      ...(await keysLike(keyv, ':enrichment:')),
    ];
    expect(keys.filter((k) => k.includes(':llm:')).length).toBeGreaterThan(0);
    expect(keys.filter((k) => k.includes(':search:')).length).toBeGreaterThan(0);
    expect(keys.filter((k) => k.includes(':enrichment:')).length).toBeGreaterThan(0);
    // Half are not JSON at all (a torn write); half are JSON of another shape (an old version's entry).
    for (const [index, key] of keys.entries()) {
      if (index % 2 === 0) await rawStore(keyv).set(key, '{"value": {"data": ');
      else await keyv.set(key, { data: 'not the schema', results: 'nope', website: 42 });
    }

    const second = await orchestrator.run({ text: 'find customers', scope: 'cli' });
    expect(second.leads).toHaveLength(10);
    expect(second.stats.llmCalls).toBeGreaterThan(0);
    const warned = warningsAbout(harness.logs(), 'ignored an unusable cache entry; it will be replaced').map(
      (w) => w.key,
    );
    expect(new Set(warned)).toEqual(new Set(keys));
    expect(warned).toHaveLength(keys.length);

    // Overwritten: the same request is now answered from the cache alone.
    const third = await orchestrator.run({ text: 'find customers', scope: 'cli' });
    expect(third.stats.llmCalls).toBe(0);
    expect(third.stats.searches).toBe(0);
    expect(third.leads.map((l) => l.name)).toEqual(second.leads.map((l) => l.name));
  });
});

describe('bad run-store entries', () => {
  it('a corrupt run is "not found", not an error, for buttons and re-score', async () => {
    const harness = await startPipelineHarness();
    const { orchestrator, keyv } = harness.services;
    const doc = await orchestrator.run({ text: 'find customers', scope: 'T1' });
    const [runKey] = await keysLike(keyv, `:run:${doc.runId}`);
    await rawStore(keyv).set(runKey as string, 'garbage');
    expect(await orchestrator.getRun('T1', doc.runId)).toBeUndefined();
    await keyv.set(runKey as string, { runId: doc.runId, status: 'weird' });
    expect(await orchestrator.getRun('T1', doc.runId)).toBeUndefined();
    await expect(orchestrator.rescore({ runId: doc.runId, scope: 'T1' })).rejects.toThrow(/no run/i);
  });

  it('a corrupt active-runs index is rebuilt from the stored runs: runs keep working and cut-off runs are still found', async () => {
    const harness = await startPipelineHarness();
    const { orchestrator, keyv, runs } = harness.services;
    const cutOff: StoredRun = {
      runId: 'run_cutoff_1',
      scope: 'T1',
      origin: { kind: 'cli' },
      request: 'find customers',
      status: 'running',
      stage: 'enrichment',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      top: 10,
      owner: { host: 'gone-host', pid: 1 },
      stats: {
        llmCalls: 0,
        promptTokens: 0,
        outputTokens: 0,
        searches: 0,
        cacheHits: 0,
        durationMs: 0,
        stageMs: {},
        warnings: [],
      },
    };
    await runs.save(cutOff);
    await rawStore(keyv).set('runs:active', '[{"scope": "T1", "runId"');

    const doc = await orchestrator.run({ text: 'find customers', scope: 'T1' });
    expect(doc.leads).toHaveLength(10);
    expect((await runs.listUnfinished()).map((r) => r.runId)).toEqual(['run_cutoff_1']);

    await keyv.set('runs:active', { not: 'a list' });
    expect((await runs.listUnfinished()).map((r) => r.runId)).toEqual(['run_cutoff_1']);
    expect(warningsAbout(harness.logs(), 'ignored an unusable run store entry').map((w) => w.key)).toEqual([
      'runs:active',
    ]);
  });

  it('the active-runs index expires: entries older than its TTL are dropped and the key itself carries a TTL', async () => {
    const harness = await startPipelineHarness();
    const { keyv, runs } = harness.services;
    const stale = Date.now() - ACTIVE_INDEX_TTL - 60_000;
    const run = (runId: string): StoredRun => ({
      runId,
      scope: 'T1',
      origin: { kind: 'cli' },
      request: 'find customers',
      status: 'running',
      stage: 'research',
      createdAt: new Date(stale).toISOString(),
      updatedAt: new Date(stale).toISOString(),
      top: 10,
      stats: {
        llmCalls: 0,
        promptTokens: 0,
        outputTokens: 0,
        searches: 0,
        cacheHits: 0,
        durationMs: 0,
        stageMs: {},
        warnings: [],
      },
    });
    await runs.save(run('run_old_1'));
    await runs.save(run('run_new_1'));
    await keyv.set('runs:active', [
      { scope: 'T1', runId: 'run_old_1', since: stale },
      { scope: 'T1', runId: 'run_new_1', since: Date.now() },
    ]);
    expect((await runs.listUnfinished()).map((r) => r.runId)).toEqual(['run_new_1']);

    await runs.save({ ...run('run_new_2'), updatedAt: new Date().toISOString() });
    const raw = JSON.parse(String(await rawStore(keyv).get('runs:active'))) as { expires?: number };
    expect(raw.expires).toBeGreaterThan(Date.now());
    expect(raw.expires).toBeLessThanOrEqual(Date.now() + ACTIVE_INDEX_TTL);
  });
});
