import { z } from 'zod';
import { askModel, type AgentContext } from './agent-context.js';
import { chunk, unique } from '../domain/collections.js';
import { mergeByDomain } from '../domain/merge-by-domain.js';
import { clip } from '../domain/text.js';
import { EXTRACTION_SYSTEM, extractionPrompt } from './prompts/research-prompt.js';
import { settleWithDeadline } from './settle-with-deadline.js';
import { SearchUnavailableError } from '../errors.js';
import {
  buildExclusionList,
  type ExclusionList,
  companyKey,
  domainMatchesName,
  mentions,
  searchableText,
} from '../domain/grounding.js';
import type { Candidate, IntentResult, LeadFunnel } from '../domain/types.js';
import { domainOf, isHttpUrl, normaliseUrl } from '../domain/url.js';
import type { SearchResult } from '../search/types.js';

export const MAX_CANDIDATES = 30;
const RESULTS_PER_QUERY = 8;
/** Two extraction calls keep both LLM slots busy; each sees half of the results. */
const EXTRACTION_BATCHES = 2;

// Names only: which results name a company is computed from the results themselves, so the model
// spends no output tokens on citations that grounding would have to re-check anyway.
const extractionSchema = z.object({
  companies: z
    .array(z.string().describe('Company name exactly as written in the results'))
    .describe('Companies named in the results that fit the request'),
});

export interface ResearchOutcome {
  queries: string[];
  results: SearchResult[];
  candidates: Candidate[];
  failedQueries: { query: string; error: string }[];
  /** What became of the names the model listed. */
  funnel: GroundingTally;
}

/** Research's part of the lead funnel: names listed, names no result contains, names excluded. */
export type GroundingTally = Pick<LeadFunnel, 'namesFound' | 'notInResults' | 'excluded'>;

/** Runs the queries in parallel, then extracts and grounds about 30 candidate companies. */
export async function research(
  queries: string[],
  intent: IntentResult,
  requestText: string,
  ctx: AgentContext,
  onQueryDone: (done: number, total: number) => void,
): Promise<ResearchOutcome> {
  const { results, failedQueries } = await runQueries(queries, ctx, onQueryDone);
  if (results.length === 0)
    return { queries, results, candidates: [], failedQueries, funnel: { namesFound: 0, notInResults: 0, excluded: 0 } };
  const batches = splitResults(results, EXTRACTION_BATCHES);
  const perBatchMax = Math.ceil((MAX_CANDIDATES * 1.3) / batches.length);
  const extracted = await Promise.all(
    batches.map(async (batch) => {
      const answer = await askModel(ctx, {
        agent: 'research.extract',
        system: EXTRACTION_SYSTEM,
        prompt: extractionPrompt(ctx.profile, intent, numberResults(batch), perBatchMax),
        schema: extractionSchema,
        schemaName: 'candidates',
        maxOutputTokens: 800,
      });
      return answer.companies;
    }),
  );
  const grounded = groundCandidatesCounted(extracted.flat(), results, buildExclusionList(ctx.profile, requestText));
  return {
    queries,
    results,
    candidates: grounded.candidates.slice(0, MAX_CANDIDATES),
    failedQueries,
    funnel: grounded.tally,
  };
}

async function runQueries(
  queries: string[],
  ctx: AgentContext,
  onQueryDone: (done: number, total: number) => void,
): Promise<{ results: SearchResult[]; failedQueries: { query: string; error: string }[] }> {
  let done = 0;
  const settled = await settleWithDeadline(
    queries.map((query) =>
      ctx.search
        .search(query, {
          scope: ctx.scope,
          maxResults: RESULTS_PER_QUERY,
          fresh: ctx.fresh,
          meter: ctx.meter,
          signal: ctx.signal,
          logger: ctx.logger,
        })
        .finally(() => onQueryDone(++done, queries.length)),
    ),
    { quorum: 0.75, graceMs: 2_000 },
  );
  const results: SearchResult[] = [];
  const seen = new Set<string>();
  const failedQueries: { query: string; error: string }[] = [];
  const errors: unknown[] = [];
  settled.forEach((outcome, index) => {
    const query = queries[index] as string;
    if (outcome.status === 'fulfilled') {
      for (const result of outcome.value.results) {
        const url = normaliseUrl(result.url);
        if (!isHttpUrl(url) || seen.has(url)) continue;
        seen.add(url);
        results.push({ ...result, url });
      }
    } else if (outcome.status === 'rejected') {
      errors.push(outcome.reason);
      failedQueries.push({ query, error: (outcome.reason as Error)?.message ?? String(outcome.reason) });
    } else {
      failedQueries.push({ query, error: 'still running at the deadline' });
    }
  });
  // Every query failing is a search outage, not "no companies": say so rather than return nothing.
  if (errors.length === queries.length) {
    const first = errors.find((e) => e instanceof SearchUnavailableError) ?? errors[0];
    throw first instanceof Error ? first : new Error(String(first));
  }
  return { results, failedQueries };
}

/** Splits results into contiguous, even batches (results from one query stay together). */
function splitResults(results: SearchResult[], batches: number): SearchResult[][] {
  return chunk(results, Math.ceil(results.length / batches));
}

function numberResults(results: SearchResult[]): string {
  return results
    .map((r, i) => `[R${i + 1}] ${clip(r.title, 120)} (${domainOf(r.url) ?? 'web'})\n${clip(r.snippet, 300)}`)
    .join('\n');
}

/**
 * Keeps a name only if the fetched results actually contain it, merges variants of one company
 * by key and domain, drops excluded companies, and ranks by how many results name the company.
 */
export function groundCandidates(names: string[], results: SearchResult[], exclusions: ExclusionList): Candidate[] {
  return groundCandidatesCounted(names, results, exclusions).candidates;
}

/** `groundCandidates`, also counting what became of the names (for "28 names found; 9 not in the results…"). */
export function groundCandidatesCounted(
  names: string[],
  results: SearchResult[],
  exclusions: ExclusionList,
): { candidates: Candidate[]; tally: GroundingTally } {
  const texts = results.map((r) => searchableText(`${r.title} ${r.snippet}`));
  const byKey = new Map<string, Candidate>();
  const seen = new Set<string>();
  const tally: GroundingTally = { namesFound: 0, notInResults: 0, excluded: 0 };
  for (const rawName of names) {
    const name = rawName.replace(/\s+/g, ' ').trim();
    const key = companyKey(name);
    if (seen.has(key)) continue;
    seen.add(key);
    tally.namesFound += 1;
    if (key.length < 2 || name.length > 120) {
      tally.notInResults += 1;
      continue;
    }
    const mentioning = results.filter((_, i) => mentions(texts[i] as string, key));
    if (mentioning.length === 0) {
      tally.notInResults += 1;
      continue;
    }
    const domain =
      mentioning.map((r) => domainOf(r.url)).find((d): d is string => !!d && domainMatchesName(d, key)) ?? null;
    if (exclusions.isExcluded({ key, domain })) {
      tally.excluded += 1;
      continue;
    }
    byKey.set(key, {
      name: cleanDisplayName(name),
      key,
      domain,
      sources: mentioning.map((r) => r.url),
      evidence: mentioning.slice(0, 3).map((r) => clip(r.snippet, 240)),
    });
  }
  const candidates = mergeByDomain([...byKey.values()], (c) => c.domain, mergeCandidates).sort(
    (a, b) => b.sources.length - a.sources.length || a.name.localeCompare(b.name),
  );
  return { candidates, tally };
}

/** "AutoNation" and "AutoNation USA" with one website are one candidate: sources pooled, the shorter name kept. */
function mergeCandidates(kept: Candidate, twin: Candidate): void {
  kept.sources = unique([...kept.sources, ...twin.sources]);
  if (twin.name.length < kept.name.length) {
    kept.name = twin.name;
    kept.key = twin.key;
  }
}

/** Drops legal suffixes from what users see ("AutoNation, Inc." → "AutoNation"). */
function cleanDisplayName(name: string): string {
  return name.replace(/,?\s+(inc|llc|ltd|corp|co)\.?$/i, '').trim();
}
