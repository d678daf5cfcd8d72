import { afterEach, describe, expect, it } from 'vitest';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness.js';

let harness: PipelineHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('orchestrator run', () => {
  it('returns ten grounded leads for "find me potential customers"', async () => {
    harness = await startPipelineHarness();
    const doc = await harness.services.orchestrator.run({ text: 'find me potential customers', scope: 'cli' });
    console.log(JSON.stringify(doc.stats), doc.leads.map((l) => `${l.rank} ${l.name} ${l.fitScore} ${l.website} ${l.headquarters} ${l.size}`).join('\n'));
    expect(doc.leads).toHaveLength(10);
  });
});
