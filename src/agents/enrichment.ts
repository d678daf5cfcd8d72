import { z } from 'zod';
import { askModel, type AgentContext } from './agent-context.js';
import { chunk } from '../domain/collections.js';
import { clip } from '../domain/text.js';
import { ENRICHMENT_SYSTEM, enrichmentPrompt, type EnrichmentPromptCompany } from './prompts/enrichment-prompt.js';
import { descriptionFromSources, verifyFact, websiteFromSources, type SourceText } from './verify-facts.js';
import { StructuredOutputError } from '../errors.js';
import { enrichedCompanySchema, type Candidate, type EnrichedCompany, type SourcedField } from '../domain/types.js';
import { normaliseUrl } from '../domain/url.js';

/** Eight companies per call: thirty candidates take four calls, two rounds on two LLM slots. */
export const ENRICHMENT_BATCH_SIZE = 8;
const RESULTS_PER_COMPANY = 5;

// Short keys on purpose: output tokens are the slowest part of a local model's answer.
const fact = z
  .object({
    v: z.string().describe('The fact as the source states it'),
    s: z.number().int().describe('The [S#] number of the source that states it'),
  })
  .nullable()
  .catch(null);

// Per-field `.catch(null)`: one malformed fact or company drops that fact, not the whole batch.
const enrichmentSchema = z.object({
  companies: z.array(
    z
      .object({
        id: z.number().int().describe('Company number from the prompt'),
        web: fact.describe('Official website domain or URL'),
        hq: fact.describe('Headquarters: city, state or province'),
        size: fact.describe('Employees, rooftops or locations, with the number'),
        industry: fact.describe('Industry or segment, a few words'),
      })
      .catch({ id: -1, web: null, hq: null, size: null, industry: null }),
  ),
});

type EnrichmentAnswer = z.infer<typeof enrichmentSchema>['companies'][number];

/** Adds sourced facts to each candidate: cached per company for a week and shared by every request. */
export async function enrichCandidates(
  candidates: Candidate[],
  ctx: AgentContext,
  onProgress: (done: number, total: number) => void,
): Promise<EnrichedCompany[]> {
  const total = candidates.length;
  let done = 0;
  const report = (count: number) => {
    done += count;
    onProgress(done, total);
  };
  const enriched = new Map<string, EnrichedCompany>();
  const misses: Candidate[] = [];
  const lookups = await Promise.all(
    candidates.map((candidate) => (ctx.fresh ? undefined : ctx.cache.get(cacheKey(ctx, candidate), enrichedCompanySchema))),
  );
  for (const [index, candidate] of candidates.entries()) {
    const cached = lookups[index];
    if (cached) {
      ctx.meter.cacheHit('enrichment');
      enriched.set(candidate.key, { ...cached, name: candidate.name, sources: unique([...candidate.sources, ...cached.sources]) });
    } else misses.push(candidate);
  }
  if (enriched.size > 0) report(enriched.size);

  await Promise.all(
    chunk(misses, ENRICHMENT_BATCH_SIZE).map(async (batch) => {
      const companies = await enrichBatch(batch, ctx);
      for (const company of companies) enriched.set(company.key, company);
      report(batch.length);
    }),
  );
  return candidates.map((c) => enriched.get(c.key)).filter((c): c is EnrichedCompany => c !== undefined);
}

async function enrichBatch(batch: Candidate[], ctx: AgentContext): Promise<EnrichedCompany[]> {
  const sourceLists = await Promise.all(batch.map((candidate) => gatherSources(candidate, ctx)));
  let nextId = 1;
  const promptCompanies: EnrichmentPromptCompany[] = batch.map((candidate, index) => ({
    id: index + 1,
    name: candidate.name,
    sources: (sourceLists[index] as SourceText[]).map((s) => ({ id: nextId++, url: s.url, title: clip(s.title, 120), text: clip(s.text, 350) })),
  }));
  let answers: EnrichmentAnswer[] = [];
  let complete = true;
  try {
    const answer = await askModel(ctx, {
      agent: 'enrichment',
      system: ENRICHMENT_SYSTEM,
      prompt: enrichmentPrompt(promptCompanies),
      schema: enrichmentSchema,
      maxOutputTokens: 120 * batch.length,
    });
    answers = answer.companies;
  } catch (error) {
    // A model that never produced valid JSON costs these companies their extra facts, not the run.
    if (!(error instanceof StructuredOutputError)) throw error;
    ctx.logger.warn({ runId: ctx.runId, err: error.message }, 'enrichment batch failed validation; keeping search facts only');
    complete = false;
  }
  return Promise.all(
    batch.map(async (candidate, index) => {
      const prompt = promptCompanies[index] as EnrichmentPromptCompany;
      const sourcesById = new Map(prompt.sources.map((s) => [s.id, { url: s.url, title: s.title, text: s.text }]));
      const answer = answers.find((a) => a.id === prompt.id);
      const company = buildEnriched(candidate, answer, sourcesById, [...sourcesById.values()]);
      if (complete && answer) await ctx.cache.set(cacheKey(ctx, candidate), company, 'enrichment');
      return company;
    }),
  );
}

/** The candidate's own evidence plus a targeted search; a failed search leaves just the evidence. */
async function gatherSources(candidate: Candidate, ctx: AgentContext): Promise<SourceText[]> {
  const own: SourceText[] = candidate.evidence.map((text, i) => ({ url: candidate.sources[i] as string, title: candidate.name, text }));
  let found: SourceText[] = [];
  try {
    const outcome = await ctx.search.search(`"${candidate.name}" headquarters website`, {
      scope: ctx.scope,
      maxResults: RESULTS_PER_COMPANY,
      fresh: ctx.fresh,
      meter: ctx.meter,
      signal: ctx.signal,
    });
    found = outcome.results.map((r) => ({ url: normaliseUrl(r.url), title: r.title, text: r.snippet }));
  } catch (error) {
    ctx.logger.warn({ runId: ctx.runId, company: candidate.name, err: (error as Error).message }, 'enrichment search failed');
  }
  const seen = new Set<string>();
  return [...own, ...found].filter((s) => s.url && !seen.has(s.url) && seen.add(s.url)).slice(0, 8);
}

function buildEnriched(
  candidate: Candidate,
  answer: EnrichmentAnswer | undefined,
  sourcesById: Map<number, SourceText>,
  allSources: SourceText[],
): EnrichedCompany {
  const check = (kind: 'website' | 'headquarters' | 'size' | 'industry', proposed: { v: string; s: number } | null | undefined) =>
    proposed ? verifyFact(kind, { value: proposed.v, source: proposed.s }, sourcesById, candidate.key) : null;
  const website = websiteFromSources(candidate.key, allSources, candidate.domain) ?? check('website', answer?.web);
  const fields = {
    website,
    headquarters: check('headquarters', answer?.hq),
    size: check('size', answer?.size),
    industry: check('industry', answer?.industry),
    description: descriptionFromSources(website, allSources),
  };
  const cited = Object.values(fields)
    .filter((f): f is SourcedField => f !== null)
    .map((f) => f.source);
  return { name: candidate.name, key: candidate.key, ...fields, sources: unique([...candidate.sources, ...cited]) };
}

function cacheKey(ctx: AgentContext, candidate: Candidate): string {
  return ctx.cache.key(ctx.scope, 'enrichment', candidate.key);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
