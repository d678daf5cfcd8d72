import { z } from 'zod';
import { askModel, type AgentContext } from './agent-context.js';
import { askPerCompany } from './ask-per-company.js';
import { unique } from '../domain/collections.js';
import { clip } from '../domain/text.js';
import { ENRICHMENT_SYSTEM, enrichmentPrompt, type EnrichmentPromptCompany } from './prompts/enrichment-prompt.js';
import { descriptionFromSources, verifyFact, websiteFromSources, type SourceText } from './verify-facts.js';
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
        id: z.union([z.number().int(), z.string()]).describe('Company number from the prompt'),
        name: z.string().describe('Company name exactly as given in the prompt').catch(''),
        web: fact.describe('Official website domain or URL'),
        hq: fact.describe('Headquarters: city, state or province'),
        size: fact.describe('Employees, rooftops or locations, with the number'),
        industry: fact.describe('Industry or segment, a few words'),
      })
      .catch({ id: -1, name: '', web: null, hq: null, size: null, industry: null }),
  ),
});

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
    candidates.map((candidate) =>
      ctx.fresh ? undefined : ctx.cache.get(cacheKey(ctx, candidate), enrichedCompanySchema),
    ),
  );
  for (const [index, candidate] of candidates.entries()) {
    const cached = lookups[index];
    if (cached) {
      ctx.meter.cacheHit('enrichment');
      enriched.set(candidate.key, {
        ...cached,
        name: candidate.name,
        sources: unique([...candidate.sources, ...cached.sources]),
      });
    } else misses.push(candidate);
  }
  if (enriched.size > 0) report(enriched.size);

  // Sources are gathered once per company, so a re-ask costs a model call and no search.
  const gathered = await Promise.all(
    misses.map(async (candidate) => ({ candidate, sources: await gatherSources(candidate, ctx) })),
  );
  const asked = await askPerCompany(ctx, {
    companies: gathered,
    nameOf: (item) => item.candidate.name,
    batchSize: ENRICHMENT_BATCH_SIZE,
    ask: (batch) => askEnrichment(batch, ctx),
    read: (entry) => entry,
    reask: true,
    onBatchDone: report,
  });
  await Promise.all(
    gathered.map(async (item) => {
      const answer = asked.answers.get(item);
      const company = buildEnriched(item.candidate, answer, item.sources);
      enriched.set(item.candidate.key, company);
      // Only a company the model really answered for is cached; the others get another chance next run.
      if (answer) await ctx.cache.set(cacheKey(ctx, item.candidate), company, 'enrichment');
    }),
  );
  if (asked.missing.length > 0) {
    ctx.logger.warn(
      { companies: asked.missing.map((m) => m.candidate.name) },
      'no usable enrichment answer; keeping search facts only',
    );
  }
  return candidates.map((c) => enriched.get(c.key)).filter((c): c is EnrichedCompany => c !== undefined);
}

interface Gathered {
  candidate: Candidate;
  sources: SourceText[];
}

/** A proposed fact with its [S#] turned back into the URL it stood for in that call. */
type CitedFact = { v: string; url: string | undefined } | null;
interface ResolvedAnswer {
  id: unknown;
  name: string;
  web: CitedFact;
  hq: CitedFact;
  size: CitedFact;
  industry: CitedFact;
}

/** One enrichment call; sources are numbered [S#] across the prompt, companies 1..n in batch order. */
async function askEnrichment(batch: readonly Gathered[], ctx: AgentContext): Promise<ResolvedAnswer[]> {
  const companies = promptCompanies(batch);
  const answer = await askModel(ctx, {
    agent: 'enrichment',
    system: ENRICHMENT_SYSTEM,
    prompt: enrichmentPrompt(companies),
    schema: enrichmentSchema,
    maxOutputTokens: 130 * batch.length,
  });
  // [S#] numbers only mean something within this call: they become URLs here, and a company may later use
  // only URLs among its own sources, so a fact citing another company's page is dropped.
  const urls = new Map(companies.flatMap((c) => c.sources.map((s) => [s.id, s.url] as const)));
  const cite = (fact: { v: string; s: number } | null): CitedFact =>
    fact ? { v: fact.v, url: urls.get(fact.s) } : null;
  return answer.companies.map((e) => ({
    id: e.id,
    name: e.name,
    web: cite(e.web),
    hq: cite(e.hq),
    size: cite(e.size),
    industry: cite(e.industry),
  }));
}

function promptCompanies(batch: readonly Gathered[]): EnrichmentPromptCompany[] {
  let nextId = 1;
  return batch.map(({ candidate, sources }, index) => ({
    id: index + 1,
    name: candidate.name,
    sources: sources.map((s) => ({ id: nextId++, url: s.url, title: clip(s.title, 120), text: clip(s.text, 350) })),
  }));
}

/** The candidate's own evidence plus a targeted search; a failed search leaves just the evidence. */
async function gatherSources(candidate: Candidate, ctx: AgentContext): Promise<SourceText[]> {
  const own: SourceText[] = candidate.evidence.map((text, i) => ({
    url: candidate.sources[i] as string,
    title: candidate.name,
    text,
  }));
  let found: SourceText[] = [];
  try {
    const outcome = await ctx.search.search(`"${candidate.name}" headquarters website`, {
      scope: ctx.scope,
      maxResults: RESULTS_PER_COMPANY,
      fresh: ctx.fresh,
      meter: ctx.meter,
      signal: ctx.signal,
      logger: ctx.logger,
    });
    found = outcome.results.map((r) => ({ url: normaliseUrl(r.url), title: r.title, text: r.snippet }));
  } catch (error) {
    ctx.logger.warn({ company: candidate.name, err: (error as Error).message }, 'enrichment search failed');
  }
  const seen = new Set<string>();
  return [...own, ...found].filter((s) => s.url && !seen.has(s.url) && seen.add(s.url)).slice(0, 8);
}

function buildEnriched(
  candidate: Candidate,
  answer: ResolvedAnswer | undefined,
  sources: SourceText[],
): EnrichedCompany {
  // The company's own sources, numbered for verifyFact; the texts are clipped as the model saw them.
  const own = new Map(
    sources.map((s, i) => [i + 1, { url: s.url, title: clip(s.title, 120), text: clip(s.text, 350) }]),
  );
  const numberOf = new Map([...own].map(([n, s]) => [s.url, n]));
  const check = (kind: 'website' | 'headquarters' | 'size' | 'industry', proposed: CitedFact | undefined) =>
    proposed?.url && numberOf.has(proposed.url)
      ? verifyFact(kind, { value: proposed.v, source: numberOf.get(proposed.url) as number }, own, candidate.key)
      : null;
  const website = websiteFromSources(candidate.key, sources, candidate.domain) ?? check('website', answer?.web);
  const fields = {
    website,
    headquarters: check('headquarters', answer?.hq),
    size: check('size', answer?.size),
    industry: check('industry', answer?.industry),
    description: descriptionFromSources(website, sources),
  };
  const cited = Object.values(fields)
    .filter((f): f is SourcedField => f !== null)
    .map((f) => f.source);
  return { name: candidate.name, key: candidate.key, ...fields, sources: unique([...candidate.sources, ...cited]) };
}

function cacheKey(ctx: AgentContext, candidate: Candidate): string {
  return ctx.cache.key(ctx.scope, 'enrichment', candidate.key);
}
