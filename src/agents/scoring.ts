import { z } from 'zod';
import type { AgentContext } from './agent-context.js';
import { clip } from './prompt-data.js';
import { SCORING_SYSTEM, scoringPrompt, type ScoringPromptCompany } from './prompts/scoring-prompt.js';
import type { EnrichedCompany, IntentResult, ScoredCompany } from '../pipeline/types.js';

/** Fifteen companies per call: thirty candidates are scored in two calls that run side by side. */
export const SCORING_BATCH_SIZE = 15;
const RATIONALE_MAX = 320;

const scoringSchema = z.object({
  scores: z.array(
    z
      .object({
        id: z.number().int().describe('Company number from the prompt'),
        fitScore: z.number().int().min(0).max(100).describe('Fit from 0 (none) to 100 (ideal)'),
        rationale: z.string().describe('One or two sentences citing facts from the data'),
      })
      .catch({ id: -1, fitScore: 0, rationale: '' }),
  ),
});

/** Scores every company against the profile and intent; batches run in parallel. */
export async function scoreCompanies(
  companies: EnrichedCompany[],
  intent: IntentResult,
  ctx: AgentContext,
  options: { note?: string; evidence?: Map<string, string[]>; onProgress: (done: number, total: number) => void },
): Promise<ScoredCompany[]> {
  const batches: EnrichedCompany[][] = [];
  for (let i = 0; i < companies.length; i += SCORING_BATCH_SIZE) batches.push(companies.slice(i, i + SCORING_BATCH_SIZE));
  let done = 0;
  const results = await Promise.all(
    batches.map(async (batch) => {
      const promptCompanies: ScoringPromptCompany[] = batch.map((company, index) => ({
        id: index + 1,
        name: company.name,
        facts: describeFacts(company),
        evidence: (options.evidence?.get(company.key) ?? []).slice(0, 2).map((e) => clip(e, 200)),
      }));
      const answer = await ctx.llm.generateObject({
        agent: 'scoring',
        runId: ctx.runId,
        scope: ctx.scope,
        system: SCORING_SYSTEM,
        prompt: scoringPrompt(ctx.profile, intent, promptCompanies, options.note),
        schema: scoringSchema,
        schemaName: 'scores',
        maxOutputTokens: 90 * batch.length,
        fresh: ctx.fresh,
        meter: ctx.meter,
        signal: ctx.signal,
      });
      done += batch.length;
      options.onProgress(done, companies.length);
      const scored: ScoredCompany[] = [];
      for (const [index, company] of batch.entries()) {
        const entry = answer.data.scores.find((s) => s.id === index + 1);
        const rationale = entry ? clip(entry.rationale, RATIONALE_MAX) : '';
        // A company the model skipped or answered without a reason is not ranked on a made-up score.
        if (!entry || rationale === '') continue;
        scored.push({ key: company.key, fitScore: Math.max(0, Math.min(100, Math.round(entry.fitScore))), rationale });
      }
      return scored;
    }),
  );
  return results.flat();
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
