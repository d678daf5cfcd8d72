// A model that answers badly mid-run: bad answers are retried or repaired, one malformed company never sinks
// its batch, and no score outside 0-100 is ever kept.
import { describe, expect, it } from 'vitest';
import type { FakeChatRequest } from '../fakes/fake-ollama.js';
import type { QuestionKind } from '../fakes/prompt-structure.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { companiesInPrompt, failureOf } from './helpers.js';

const CORRECTION = 'Your previous answer could not be used';

function userPrompt(request: FakeChatRequest): string {
  return request.messages.find((m) => m.role === 'user')?.content ?? '';
}

type Entry = Record<string, unknown>;

describe('bad model answers mid-run', () => {
  it('recovers from invalid JSON, an empty answer, schema-invalid JSON and <think> text and still returns ten leads with facts', async () => {
    const seen = new Map<QuestionKind, number>();
    const harness = await startPipelineHarness({
      brain: {
        corrupt: (kind, answer) => {
          const n = (seen.get(kind) ?? 0) + 1;
          seen.set(kind, n);
          if (n !== 1) return answer;
          if (kind === 'extraction') return 'Sure! The companies are {"companies": ["Harbor Auto Holdings",';
          if (kind === 'enrichment') return '';
          if (kind === 'screening') return { scores: 'all of them fit well' };
          if (kind === 'scoring')
            return `<think>Is {"scores": []} enough? No: one entry per id.</think>\n${JSON.stringify(answer)}`;
          return answer;
        },
      },
    });
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' });

    expect(doc.leads).toHaveLength(10);
    for (const lead of doc.leads) {
      expect(lead.headquarters).not.toBeNull();
      expect(lead.rationale.length).toBeGreaterThan(20);
    }
    // Three answers were unusable and each was retried once with the reason; the <think> answer was used as it was.
    const corrections = harness.ollama.calls.filter((call) =>
      call.messages.some((m) => m.content.startsWith(CORRECTION)),
    );
    expect(corrections).toHaveLength(3);
  });

  it("keeps the other companies' facts when one company in an enrichment batch is malformed, without a retry", async () => {
    // The malformed company is asked again once in a smaller call, where it is malformed again.
    const broken = new Set<string>();
    const harness = await startPipelineHarness({
      brain: {
        corrupt: (kind, answer, request) => {
          if (kind !== 'enrichment') return answer;
          broken.add(companiesInPrompt(userPrompt(request))[0] as string);
          const companies = (answer as { companies: Entry[] }).companies;
          return { companies: companies.map((c) => (c.id === 1 ? { id: 'one', web: 42, hq: ['Dallas'] } : c)) };
        },
      },
    });
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli', top: 50 });
    const stored = await harness.services.orchestrator.getRun('cli', doc.runId);
    const enrichment = stored?.enrichment ?? [];

    expect(broken.size).toBeGreaterThanOrEqual(3);
    expect(enrichment.length).toBeGreaterThanOrEqual(25);
    const others = enrichment.filter((c) => !broken.has(c.name));
    expect(others.length).toBe(enrichment.length - broken.size);
    for (const company of others) {
      expect(company.headquarters, company.name).not.toBeNull();
      expect(company.size, company.name).not.toBeNull();
    }
    for (const name of broken) {
      const company = enrichment.find((c) => c.name === name);
      expect(company, name).toBeDefined();
      expect(company?.headquarters).toBeNull();
    }
    expect(harness.ollama.calls.some((call) => call.messages.some((m) => m.content.startsWith(CORRECTION)))).toBe(
      false,
    );
  });

  it("keeps the other companies' scores when one company in a scoring batch answers 150, -5 or a word, and shows no score outside 0-100", async () => {
    const broken = new Set<string>();
    const harness = await startPipelineHarness({
      brain: {
        corrupt: (kind, answer, request) => {
          if (kind !== 'screening') return answer;
          const names = companiesInPrompt(userPrompt(request));
          const bad: Record<number, unknown> = { 1: 150, 2: -5, 3: 'high' };
          const scores = (answer as { scores: Entry[] }).scores.map((s) => {
            const fit = bad[s.id as number];
            if (fit === undefined) return s;
            broken.add(names[(s.id as number) - 1] as string);
            return { ...s, fit };
          });
          return { scores };
        },
      },
    });
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli', top: 50 });
    const stored = await harness.services.orchestrator.getRun('cli', doc.runId);

    expect(broken.size).toBeGreaterThanOrEqual(6);
    const scored = stored?.scores ?? [];
    expect(scored.length).toBe((stored?.enrichment?.length ?? 0) - broken.size);
    for (const score of scored) {
      expect(score.fitScore).toBeGreaterThanOrEqual(0);
      expect(score.fitScore).toBeLessThanOrEqual(100);
    }
    expect(doc.leads.length).toBeGreaterThanOrEqual(20);
    for (const lead of doc.leads) {
      expect(broken.has(lead.name), lead.name).toBe(false);
      expect(lead.fitScore).toBeGreaterThanOrEqual(0);
      expect(lead.fitScore).toBeLessThanOrEqual(100);
    }
  });

  it.each([150, -5])(
    'fails clearly after retries, keeping the enrichment for a re-score, when the model scores every company %i',
    async (fit) => {
      const harness = await startPipelineHarness({
        brain: {
          corrupt: (kind, answer) =>
            kind === 'screening'
              ? { scores: (answer as { scores: Entry[] }).scores.map((s) => ({ ...s, fit })) }
              : answer,
        },
      });
      const failure = await failureOf(harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' }));

      expect(failure.message).toMatch(/did not return a valid scoring\.screen after 3 attempts/);
      expect(failure.message).toMatch(/fit from 0 to 100/);
      const stored = await harness.services.orchestrator.getRun('cli', failure.runId);
      expect(stored?.status).toBe('failed');
      expect(stored?.leads).toBeUndefined();
      expect(stored?.scores).toBeUndefined();
      expect(stored?.enrichment?.length).toBeGreaterThanOrEqual(10);
    },
  );
});
