import { unique } from './collections.js';
import { mergeByDomain } from './merge-by-domain.js';
import type { EnrichedCompany, Lead, RankChange } from './types.js';

/** One lead per website domain: the first (best-evidenced) company keeps the name, sources and missing facts are pooled. */
export function mergeEnrichedByDomain(companies: EnrichedCompany[]): EnrichedCompany[] {
  const copies = companies.map((company) => ({ ...company, sources: [...company.sources] }));
  return mergeByDomain(
    copies,
    (company) => company.website?.value,
    (kept, twin) => {
      kept.sources = unique([...kept.sources, ...twin.sources]);
      kept.headquarters ??= twin.headquarters;
      kept.size ??= twin.size;
      kept.industry ??= twin.industry;
      kept.description ??= twin.description;
    },
  );
}

/** What a re-score changed, for "moved up / moved down / new" in Slack. */
export function compareRanks(before: Lead[], after: Lead[]): RankChange[] {
  const previous = new Map(before.map((lead) => [lead.name, lead.rank]));
  return after.map((lead) => {
    const from = previous.get(lead.name);
    if (from === undefined) return { name: lead.name, change: 'new', to: lead.rank };
    return {
      name: lead.name,
      change: from > lead.rank ? 'up' : from < lead.rank ? 'down' : 'same',
      from,
      to: lead.rank,
    };
  });
}
