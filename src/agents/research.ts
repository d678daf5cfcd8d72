import { z } from 'zod';
import { askModel, type AgentContext } from './agent-context.js';
import { chunk } from '../domain/collections.js';
import { clip } from '../domain/text.js';
import { EXTRACTION_SYSTEM, extractionPrompt } from './prompts/research-prompt.js';
import { settleWithDeadline } from './settle-with-deadline.js';
import { SearchUnavailableError } from '../errors.js';
import {
  buildExclusionList,
  companyKey,
  domainMatchesName,
  mentions,
  searchableText,
} from '../domain/grounding.js';
import type { Candidate, IntentResult } from '../domain/types.js';
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
}

/** Runs the queries in parallel, then extracts and grounds about 30 candidate companies. */
export async function research(
  queries: string[],
  intent: IntentResult,
  requestText: string,
  ctx: AgentContext,
  onQueryDone: (done: number, total: number) => void,
): Promise<ResearchOutcome> {
  const { results, failedQueries } = await runQueries(queries, ctx, onQueryDone);
  if (results.length === 0) return { queries, results, candidates: [], failedQueries };
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
  const candidates = groundCandidates(extracted.flat(), results, buildExclusionList(ctx.profile, requestText));
  return { queries, results, candidates: candidates.slice(0, MAX_CANDIDATES), failedQueries };
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
        .search(query, { scope: ctx.scope, maxResults: RESULTS_PER_QUERY, fresh: ctx.fresh, meter: ctx.meter, signal: ctx.signal })
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
export function groundCandidates(names: string[], results: SearchResult[], exclusions: ReturnType<typeof buildExclusionList>): Candidate[] {
  const texts = results.map((r) => searchableText(`${r.title} ${r.snippet}`));
  const byKey = new Map<string, Candidate>();
  for (const rawName of names) {
    const name = rawName.replace(/\s+/g, ' ').trim();
    const key = companyKey(name);
    if (key.length < 2 || name.length > 120) continue;
    const existing = byKey.get(key);
    if (existing) continue;
    const mentioning = results.filter((_, i) => mentions(texts[i] as string, key));
    if (mentioning.length === 0) continue;
    const domain = mentioning.map((r) => domainOf(r.url)).find((d): d is string => !!d && domainMatchesName(d, key)) ?? null;
    if (exclusions.isExcluded({ key, domain })) continue;
    byKey.set(key, {
      name: cleanDisplayName(name),
      key,
      domain,
      sources: mentioning.map((r) => r.url),
      evidence: mentioning.slice(0, 3).map((r) => clip(r.snippet, 240)),
    });
  }
  return mergeByDomain([...byKey.values()]).sort((a, b) => b.sources.length - a.sources.length || a.name.localeCompare(b.name));
}

/** "AutoNation" and "AutoNation USA" with one website are one lead. */
export function mergeByDomain(candidates: Candidate[]): Candidate[] {
  const byDomain = new Map<string, Candidate>();
  const out: Candidate[] = [];
  for (const candidate of candidates) {
    const twin = candidate.domain ? byDomain.get(candidate.domain) : undefined;
    if (twin) {
      twin.sources = [...new Set([...twin.sources, ...candidate.sources])];
      if (candidate.name.length < twin.name.length) {
        twin.name = candidate.name;
        twin.key = candidate.key;
      }
      continue;
    }
    if (candidate.domain) byDomain.set(candidate.domain, candidate);
    out.push(candidate);
  }
  return out;
}

/** Drops legal suffixes from what users see ("AutoNation, Inc." → "AutoNation"). */
function cleanDisplayName(name: string): string {
  return name.replace(/,?\s+(inc|llc|ltd|corp|co)\.?$/i, '').trim();
}
