import { z } from 'zod';
import { askModel, type AgentContext } from './agent-context.js';
import { chunk } from '../domain/collections.js';
import { clip } from '../domain/text.js';
import { SCORING_SYSTEM, SCREENING_SYSTEM, scoringPrompt, type ScoringPromptCompany } from './prompts/scoring-prompt.js';
import type { EnrichedCompany, IntentResult, ScoredCompany } from '../domain/types.js';

/** Fifteen companies per screening call: thirty candidates are screened in two calls side by side. */
export const SCREENING_BATCH_SIZE = 15;
const RATIONALE_MAX = 320;

const score = z.number().int().min(0).max(100);

// Screening answers are a few tokens per company; reasons are written only for the companies that will be shown.
// One malformed entry (a fit of 150, a word) is dropped, not the batch; an answer with no usable entry at all is
// invalid, so it is retried with the reason and the run fails clearly rather than "succeed" with no scores.
const UNUSABLE = -1;
const someUsable = <T extends { id: number }>(entries: T[]) => entries.some((entry) => entry.id !== UNUSABLE);
const NO_USABLE_ENTRY = 'no entry has a company id from the prompt and a fit from 0 to 100';

const screeningSchema = z.object({
  scores: z
    .array(
      z
        .object({ id: z.number().int().describe('Company number from the prompt'), fit: score.describe('Fit from 0 (none) to 100 (ideal)') })
        .catch({ id: UNUSABLE, fit: 0 }),
    )
    .refine(someUsable, NO_USABLE_ENTRY),
});

const explainedSchema = z.object({
  scores: z
    .array(
      z
        .object({
          id: z.number().int().describe('Company number from the prompt'),
          fitScore: score.describe('Fit from 0 (none) to 100 (ideal)'),
          rationale: z.string().describe('One or two sentences citing facts from the data'),
        })
        .catch({ id: UNUSABLE, fitScore: 0, rationale: '' }),
    )
    .refine(someUsable, NO_USABLE_ENTRY),
});

export interface ScoringOptions {
  top: number;
  note?: string;
  evidence?: Map<string, string[]>;
  onProgress: (done: number, total: number) => void;
}

/**
 * Scores every company in two passes: a terse screen of all of them, then scores with reasons for the
 * best `top`. Output tokens dominate a local model's latency, so reasons are only written where shown.
 */
export async function scoreCompanies(
  companies: EnrichedCompany[],
  intent: IntentResult,
  ctx: AgentContext,
  options: ScoringOptions,
): Promise<ScoredCompany[]> {
  const total = companies.length + Math.min(options.top, companies.length);
  let done = 0;
  const progress = (count: number) => options.onProgress((done += count), total);

  const screened = (
    await Promise.all(
      chunk(companies, SCREENING_BATCH_SIZE).map(async (batch) => {
        const answer = await askModel(ctx, {
          agent: 'scoring.screen',
          system: SCREENING_SYSTEM,
          prompt: scoringPrompt(ctx.profile, intent, promptCompanies(batch, options), options.note, 'screen'),
          schema: screeningSchema,
          maxOutputTokens: 12 * batch.length,
        });
        progress(batch.length);
        return batch.flatMap((company, index) => {
          const entry = answer.scores.find((s) => s.id === index + 1);
          return entry ? [{ key: company.key, fitScore: entry.fit, rationale: '' }] : [];
        });
      }),
    )
  ).flat();

  const byKey = new Map(companies.map((c) => [c.key, c]));
  const shortlist = [...screened]
    .sort((a, b) => b.fitScore - a.fitScore || (byKey.get(b.key)?.sources.length ?? 0) - (byKey.get(a.key)?.sources.length ?? 0))
    .slice(0, options.top)
    .map((s) => byKey.get(s.key) as EnrichedCompany);
  const explained = new Map<string, ScoredCompany>();
  await Promise.all(
    chunk(shortlist, Math.max(1, Math.ceil(shortlist.length / 2))).map(async (batch) => {
      const answer = await askModel(ctx, {
        agent: 'scoring.explain',
        system: SCORING_SYSTEM,
        prompt: scoringPrompt(ctx.profile, intent, promptCompanies(batch, options), options.note, 'explain'),
        schema: explainedSchema,
        maxOutputTokens: 90 * batch.length,
      });
      progress(batch.length);
      batch.forEach((company, index) => {
        const entry = answer.scores.find((s) => s.id === index + 1);
        const rationale = entry ? clip(entry.rationale, RATIONALE_MAX) : '';
        if (entry && rationale !== '') explained.set(company.key, { key: company.key, fitScore: entry.fitScore, rationale });
      });
    }),
  );
  // A shortlisted company the model did not explain keeps no score at all: nothing is shown without a reason.
  const shortlisted = new Set(shortlist.map((c) => c.key));
  return screened.flatMap((s) => (shortlisted.has(s.key) ? (explained.has(s.key) ? [explained.get(s.key) as ScoredCompany] : []) : [s]));
}

function promptCompanies(batch: EnrichedCompany[], options: ScoringOptions): ScoringPromptCompany[] {
  return batch.map((company, index) => ({
    id: index + 1,
    name: company.name,
    facts: describeFacts(company),
    evidence: (options.evidence?.get(company.key) ?? []).slice(0, 2).map((e) => clip(e, 200)),
  }));
}

function describeFacts(company: EnrichedCompany): string {
  const parts = [
    company.website && `Website: ${company.website.value}`,
    company.headquarters && `HQ: ${company.headquarters.value}`,
    company.size && `Size: ${company.size.value}`,
    company.industry && `Industry: ${company.industry.value}`,
    company.description && `About: ${company.description.value}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' | ') : 'No verified facts beyond the search mentions below.';
}
