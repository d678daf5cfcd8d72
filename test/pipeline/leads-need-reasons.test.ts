// Reported: when the explain pass scored companies lower than the screen did, or skipped some, companies that were
// only screened rose into the top 10 and were shown with an empty "why".
import { describe, expect, it } from 'vitest';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness.js';
import { explainScoresLower, explainSkipsHalf } from '../support/reported-failures.js';

function expectEveryLeadExplained(
  h: PipelineHarness,
  leads: { name: string; fitScore: number; rationale: string }[],
  served: (written: number) => number = (written) => written,
): void {
  for (const lead of leads) {
    expect(lead.rationale.trim(), lead.name).not.toBe('');
    // The score and the reason shown are the pair the explain pass wrote for this very company.
    const written = h.model.log.explanations.filter((e) => e.company === lead.name);
    expect(
      written.some((e) => lead.rationale.startsWith(e.rationale.slice(0, 60)) && served(e.fitScore) === lead.fitScore),
      lead.name,
    ).toBe(true);
  }
}

describe('every shown lead has a reason', () => {
  it('ranks by explained scores only when the explain pass scores lower than the screen', async () => {
    const harness = await startPipelineHarness({ brain: { corrupt: explainScoresLower } });
    const doc = await harness.services.orchestrator.run({ text: 'find me potential partners', scope: 'cli' });

    expect(doc.leads.length).toBeGreaterThan(0);
    expectEveryLeadExplained(harness, doc.leads, (written) => Math.max(0, written - 50));
    expect(doc.leads.map((l) => l.rank)).toEqual(doc.leads.map((_, i) => i + 1));
    const scores = doc.leads.map((l) => l.fitScore);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('explains the next companies instead of showing screen-only ones when the explain answers skip companies', async () => {
    const harness = await startPipelineHarness({ brain: { corrupt: explainSkipsHalf } });
    const doc = await harness.services.orchestrator.run({ text: 'find me potential customers', scope: 'cli' });

    expectEveryLeadExplained(harness, doc.leads);
    // Fewer than asked is said, never padded.
    if (doc.leads.length < 10) expect(doc.stats.warnings.join(' ')).toMatch(/Showing \d+ of the 10/);
    const explainCalls = harness.ollama.calls.filter(
      (c) =>
        'rationale' in
        ((c.format as { properties: { scores: { items: { properties: object } } } }).properties.scores?.items
          ?.properties ?? {}),
    );
    // Two batches, each re-asked once, plus at most one call per missing batch from the screen order: bounded.
    expect(explainCalls.length).toBeLessThanOrEqual(8);
  });
});
