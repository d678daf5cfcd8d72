// Property: the same invariants after a re-score with a note: only the re-score's own explained scores rank leads.
import { beforeAll, describe, it } from 'vitest';
import { startPropertyPipeline, type PropertyPipeline } from '../support/property-pipeline.js';
import { checkSeededRuns } from '../support/property-runs.js';

/** With the run suite beside it, more than 200 seeded pipeline runs per `npm test`. */
const RUNS = 100;

let pipeline: PropertyPipeline;
beforeAll(async () => {
  pipeline = await startPropertyPipeline();
});

describe('ranking invariants after a re-score under a misbehaving model', () => {
  it(
    `hold on every one of ${RUNS} seeded runs and their re-scores`,
    () => checkSeededRuns(pipeline, { runs: RUNS, rescore: true, scopePrefix: 'rescore' }),
    150_000,
  );
});
