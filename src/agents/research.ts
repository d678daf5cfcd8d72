import type { AgentContext } from './agent-context.js';
import { settleWithDeadline } from './settle-with-deadline.js';
import { SearchUnavailableError } from '../errors.js';
import { buildExclusionList } from '../domain/grounding.js';
import type { Candidate, IntentResult } from '../domain/types.js';
import { isHttpUrl, normaliseUrl } from '../domain/url.js';
import type { ReadPage } from '../search/page-types.js';
import type { SearchResult } from '../search/types.js';
import { extractNames } from './extract-names.js';
import { followUpQueries, needsFollowUp } from './follow-up.js';
import { groundCandidatesCounted, type GroundingTally } from './ground-candidates.js';
import { MAX_LIST_PAGES, pageChunks, pickListPages } from './list-pages.js';

export { groundCandidates, groundCandidatesCounted, type GroundingTally } from './ground-candidates.js';

export const MAX_CANDIDATES = 30;
const RESULTS_PER_QUERY = 8;

export interface ResearchOutcome {
  queries: string[];
  results: SearchResult[];
  candidates: Candidate[];
  failedQueries: { query: string; error: string }[];
  /** What became of the names the model listed. */
  funnel: GroundingTally;
  /** The URLs of the pages read in full; their text is `ctx.pages.readText(url, scope)`. */
  pagesRead: string[];
  /** Follow-up queries run because a constrained request found few companies (also in `queries`). */
  followUps: string[];
  /** What the result's reader should know (pages that could not be read). */
  warnings: string[];
}

/**
 * Runs the queries in parallel, reads the few results most likely to list companies in full, then extracts and
 * grounds about 30 candidates; a request with a place or segment that finds few searches again, within budget.
 */
export async function research(
  queries: string[],
  intent: IntentResult,
  requestText: string,
  ctx: AgentContext,
  onQueryDone: (done: number, total: number) => void,
): Promise<ResearchOutcome> {
  const started = performance.now();
  const first = await runQueries(queries, ctx, onQueryDone);
  const empty = { namesFound: 0, notInResults: 0, excluded: 0 };
  if (first.results.length === 0)
    return { ...first, queries, candidates: [], funnel: empty, pagesRead: [], followUps: [], warnings: [] };
  const exclusions = buildExclusionList(ctx.profile, requestText);
  const pass = await readAndExtract(first.results, [], intent, ctx);
  let { results, failedQueries } = first;
  let pages = pass.pages;
  let names = pass.names;
  const warnings = [...pass.warnings];
  let grounded = groundCandidatesCounted(names, results, exclusions, pages);
  let followUps: string[] = [];
  if (needsFollowUp(intent, grounded.candidates.length, performance.now() - started)) {
    followUps = followUpQueries(intent, ctx.profile, queries);
    const more = followUps.length > 0 ? await runQueries(followUps, ctx, () => undefined, true) : undefined;
    const known = new Set(results.map((r) => r.url));
    const fresh = (more?.results ?? []).filter((r) => !known.has(r.url));
    if (fresh.length > 0) {
      const again = await readAndExtract(fresh, pages, intent, ctx);
      results = [...results, ...fresh];
      pages = [...pages, ...again.pages];
      names = [...names, ...again.names];
      warnings.push(...again.warnings);
      grounded = groundCandidatesCounted(names, results, exclusions, pages);
    }
    failedQueries = [...failedQueries, ...(more?.failedQueries ?? [])];
    ctx.logger.info(
      { followUps, newResults: fresh.length, candidates: grounded.candidates.length },
      'follow-up searches',
    );
  }
  return {
    queries: [...queries, ...followUps],
    results,
    candidates: grounded.candidates.slice(0, MAX_CANDIDATES),
    failedQueries,
    funnel: grounded.tally,
    pagesRead: pages.map((page) => page.url),
    followUps,
    warnings,
  };
}

/** Reads the list-like results among `results` (within the run's page budget) and extracts names from both. */
async function readAndExtract(
  results: SearchResult[],
  alreadyRead: readonly ReadPage[],
  intent: IntentResult,
  ctx: AgentContext,
): Promise<{ pages: ReadPage[]; names: string[]; warnings: string[] }> {
  const room = MAX_LIST_PAGES - alreadyRead.length;
  const urls = room > 0 ? pickListPages(results, room) : [];
  const warnings: string[] = [];
  let pages: ReadPage[] = [];
  if (urls.length > 0) {
    const read = await ctx.pages.read(urls, {
      scope: ctx.scope,
      fresh: ctx.fresh,
      signal: ctx.signal,
      meter: ctx.meter,
      logger: ctx.logger,
    });
    pages = read.pages;
    if (read.failures.length > 0)
      warnings.push(unreadWarning(read.failures.length, urls.length, read.failures[0]!.reason));
  }
  const extraction = await extractNames(results, pageChunks(pages), intent, MAX_CANDIDATES, ctx);
  return { pages, names: extraction.names, warnings: [...warnings, ...extraction.warnings] };
}

/** "1 of 3 list pages could not be read (answered HTTP 403); companies named only there may be missing." */
function unreadWarning(failed: number, asked: number, reason: string): string {
  return `${failed} of ${asked} list page${asked === 1 ? '' : 's'} could not be read (${reason}); companies named only there may be missing.`;
}

async function runQueries(
  queries: string[],
  ctx: AgentContext,
  onQueryDone: (done: number, total: number) => void,
  followUp = false,
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
  // Every query failing is a search outage (follow-ups are extra: their failure leaves the first pass standing), not "no companies": say so rather than return nothing.
  if (errors.length === queries.length && !followUp) {
    const first = errors.find((e) => e instanceof SearchUnavailableError) ?? errors[0];
    throw first instanceof Error ? first : new Error(String(first));
  }
  return { results, failedQueries };
}
