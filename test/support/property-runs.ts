// The body of the property suites: seeded pipeline runs under any misbehaviour, each checked against the invariants.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { LeadsDocument } from '../../src/domain/types.js';
import { FAKE_WORLD } from './fake-web.js';
import { anyMisbehaviour, type PropertyPipeline } from './property-pipeline.js';
import { expectClearFailure, expectRankingInvariants } from './ranking-invariants.js';

const REQUESTS = [
  'find me potential customers',
  'find me potential partners',
  'find customers and partners',
  'top 5 customers',
  'dealer groups in Texas we could sell to',
];

/** Runs `runs` seeded pipeline runs (each optionally followed by a re-score) and checks every result shown. */
export async function checkSeededRuns(
  pipeline: PropertyPipeline,
  options: { runs: number; rescore: boolean; scopePrefix: string },
): Promise<void> {
  let run = 0;
  let shown = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.integer(),
      anyMisbehaviour,
      fc.constantFrom(...REQUESTS),
      fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
      async (seed, misbehaviour, text, top) => {
        pipeline.model.configure({ seed, misbehaviour });
        pipeline.model.resetLog();
        const scope = `${options.scopePrefix}${run++}`;
        const queriesBefore = pipeline.tavily.queries.length;
        let doc: LeadsDocument;
        try {
          doc = await pipeline.services.orchestrator.run({ text, scope, top, fresh: true });
        } catch (error) {
          expectClearFailure(error);
          return;
        }
        shown += 1;
        const served = pipeline.served(pipeline.tavily.queries.slice(queriesBefore));
        const wanted = top ?? (text.startsWith('top 5') ? 5 : 10);
        expectRankingInvariants(doc, { world: FAKE_WORLD, log: pipeline.model.log, served, top: wanted });
        if (!options.rescore) return;
        // A re-score writes new scores and reasons: only those may rank, whatever the first pass wrote.
        pipeline.model.resetLog();
        try {
          const rescored = await pipeline.services.orchestrator.rescore({
            runId: doc.runId,
            scope,
            note: 'favour groups that just bought stores',
          });
          expectRankingInvariants(rescored, { world: FAKE_WORLD, log: pipeline.model.log, served, top: wanted });
        } catch (error) {
          expectClearFailure(error);
        }
      },
    ),
    // No shrinking: each run is a whole pipeline, and the seed and switches of the failing run are reported as they are.
    { numRuns: options.runs, endOnFailure: true },
  );
  // Most runs must show leads, or the invariants above were hardly tested.
  expect(shown).toBeGreaterThan(options.runs / 2);
}
