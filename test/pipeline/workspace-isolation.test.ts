// Beyond orchestrator.test.ts 'keeps caches apart per workspace': per-company enrichment and runs are per
// workspace, the CLI has its own space, and a scope cannot leave its folder.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enrichedCompanySchema } from '../../src/domain/types.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';

describe('workspace isolation', () => {
  it("keeps one workspace's enrichment and runs out of every other workspace and the CLI", async () => {
    const harness = await startPipelineHarness();
    const { orchestrator, cache } = harness.services;
    const doc = await orchestrator.run({ text: 'find customers', scope: 'T111' });
    const run = await orchestrator.getRun('T111', doc.runId);
    const company = run?.candidates?.[0];
    expect(company).toBeDefined();

    expect(await cache.get(cache.key('T111', 'enrichment', company?.key), enrichedCompanySchema)).toBeDefined();
    for (const scope of ['T222', 'cli']) {
      expect(
        await cache.get(cache.key(scope, 'enrichment', company?.key), enrichedCompanySchema),
        scope,
      ).toBeUndefined();
      expect(await orchestrator.getRun(scope, doc.runId), scope).toBeUndefined();
      await expect(orchestrator.rescore({ runId: doc.runId, scope }), scope).rejects.toThrow(/no run/i);
    }
    const cli = await orchestrator.run({ text: 'find customers', scope: 'cli' });
    expect(cli.stats.cacheHits).toBe(0);
    expect(await orchestrator.getRun('T111', cli.runId)).toBeUndefined();
  });

  it('keeps the results file of a scope with path characters inside results_cache', async () => {
    const harness = await startPipelineHarness();
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: '../../escape' });
    const results = join(harness.dataDir, 'results_cache');
    expect(readdirSync(results)).toEqual(['______escape']);
    expect(readdirSync(join(results, '______escape'))).toHaveLength(1);
    expect(existsSync(join(harness.dataDir, '..', 'escape'))).toBe(false);
    expect((await harness.services.orchestrator.getRun('../../escape', doc.runId))?.status).toBe('succeeded');
  });
});
