// Property: whatever a misbehaving model does (any mix of the switches, on any seed), every result shown obeys the
// ranking invariants, and a run that cannot show one fails in plain words. The whole pipeline runs each time.
import { beforeAll, describe, it } from 'vitest';
import { startPropertyPipeline, type PropertyPipeline } from '../support/property-pipeline.js';
import { checkSeededRuns } from '../support/property-runs.js';

/** With the re-score suite beside it, more than 200 seeded pipeline runs per `npm test`. */
const RUNS = 110;

let pipeline: PropertyPipeline;
beforeAll(async () => {
  pipeline = await startPropertyPipeline();
});

describe('ranking invariants under a misbehaving model', () => {
  it(
    `hold on every one of ${RUNS} seeded pipeline runs`,
    () => checkSeededRuns(pipeline, { runs: RUNS, rescore: false, scopePrefix: 'run' }),
    150_000,
  );
});
