// The results file is a copy for people, not the record: failing to write it is a warning, and the run succeeds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPipelineHarness } from '../support/pipeline-harness.js';

describe('a results file that cannot be written', () => {
  it('costs a warning, not the run: the leads come back and the run is stored as succeeded', async () => {
    const harness = await startPipelineHarness();
    // Something in the way of results_cache/ (a file where the folder should be): mkdir fails as on a read-only disk.
    writeFileSync(join(harness.dataDir, 'results_cache'), 'not a folder');
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'T1' });
    expect(doc.leads).toHaveLength(10);
    expect((await harness.services.orchestrator.getRun('T1', doc.runId))?.status).toBe('succeeded');
    const warning = harness
      .logs()
      .split('\n')
      .find((line) => line.includes('could not write the results file'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning as string)).toMatchObject({ level: 40, runId: doc.runId });
  });
});
