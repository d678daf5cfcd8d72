// Grounding of the names the model listed (docs/architecture.md#grounding-rules): a name is kept only if a fetched
// result or a page read in full contains it; the URLs that contain it are its sources, and the lines that name it
// its evidence. A company named only on a read page is grounded by that page's URL, which search returned.
import { unique } from '../domain/collections.js';
import { mergeByDomain } from '../domain/merge-by-domain.js';
import { clip } from '../domain/text.js';
import { companyKey, domainMatchesName, mentions, searchableText, type ExclusionList } from '../domain/grounding.js';
import type { Candidate, LeadFunnel } from '../domain/types.js';
import { domainOf } from '../domain/url.js';
import type { ReadPage } from '../search/page-types.js';
import type { SearchResult } from '../search/types.js';
import { entryNaming } from './list-pages.js';

/** Research's part of the lead funnel: names listed, names no result contains, names excluded. */
export type GroundingTally = Pick<LeadFunnel, 'namesFound' | 'notInResults' | 'excluded'>;

/** What a name can be grounded by: a result (its title and snippet) and, when it was read, the page's whole text. */
interface GroundingSource {
  url: string;
  searchable: string;
  snippetSearchable: string;
  snippet: string;
  page?: string;
}

/**
 * Keeps a name only if the fetched results (or pages read from them) contain it, merges variants of one company
 * by key and domain, drops excluded companies, and ranks by how many results name the company.
 */
export function groundCandidates(
  names: string[],
  results: SearchResult[],
  exclusions: ExclusionList,
  pages: readonly ReadPage[] = [],
): Candidate[] {
  return groundCandidatesCounted(names, results, exclusions, pages).candidates;
}

/** `groundCandidates`, also counting what became of the names (for "28 names found; 9 not in the results…"). */
export function groundCandidatesCounted(
  names: string[],
  results: SearchResult[],
  exclusions: ExclusionList,
  pages: readonly ReadPage[] = [],
): { candidates: Candidate[]; tally: GroundingTally } {
  const sources = groundingSources(results, pages);
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
    const mentioning = sources.filter((source) => mentions(source.searchable, key));
    if (mentioning.length === 0) {
      tally.notInResults += 1;
      continue;
    }
    const domain =
      mentioning.map((s) => domainOf(s.url)).find((d): d is string => !!d && domainMatchesName(d, key)) ?? null;
    if (exclusions.isExcluded({ key, domain })) {
      tally.excluded += 1;
      continue;
    }
    // Sources whose snippet names the company come first; then pages that name it only beyond their snippet.
    const ordered = [
      ...mentioning.filter((s) => mentions(s.snippetSearchable, key)),
      ...mentioning.filter((s) => !mentions(s.snippetSearchable, key)),
    ];
    byKey.set(key, {
      name: cleanDisplayName(name),
      key,
      domain,
      sources: ordered.map((s) => s.url),
      evidence: ordered.slice(0, 3).map((s) => evidenceFrom(s, key)),
    });
  }
  const candidates = mergeByDomain([...byKey.values()], (c) => c.domain, mergeCandidates).sort(
    (a, b) => b.sources.length - a.sources.length || a.name.localeCompare(b.name),
  );
  return { candidates, tally };
}

function groundingSources(results: SearchResult[], pages: readonly ReadPage[]): GroundingSource[] {
  const pageOf = new Map(pages.map((page) => [page.url, page]));
  const sources: GroundingSource[] = results.map((r) => {
    const page = pageOf.get(r.url);
    const snippetSearchable = searchableText(`${r.title} ${r.snippet}`);
    return {
      url: r.url,
      snippetSearchable,
      searchable: page ? `${snippetSearchable}${searchableText(page.text)}` : snippetSearchable,
      snippet: r.snippet,
      page: page?.text,
    };
  });
  // A page read for a URL that no result had (a company's own page) grounds too: search returned a link to its site.
  const known = new Set(results.map((r) => r.url));
  for (const page of pages) {
    if (known.has(page.url)) continue;
    sources.push({
      url: page.url,
      snippetSearchable: searchableText(page.title),
      searchable: searchableText(`${page.title}\n${page.text}`),
      snippet: '',
      page: page.text,
    });
  }
  return sources;
}

/** The snippet when it names the company, else the page line that does (a ranking's "7. Harbor Auto — Dallas"). */
function evidenceFrom(source: GroundingSource, key: string): string {
  if (mentions(source.snippetSearchable, key) || !source.page) return clip(source.snippet, 240);
  return entryNaming(source.page, key) ?? clip(source.snippet, 240);
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
