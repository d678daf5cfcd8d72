import { domainOf } from './url.js';
import type { EnrichedCompany, Lead, RankChange, ScoredCompany } from './types.js';

const MAX_SOURCES_PER_LEAD = 5;

/** One lead per website domain: the first (best-evidenced) company keeps the name, sources are pooled. */
export function mergeEnrichedByDomain(companies: EnrichedCompany[]): EnrichedCompany[] {
  const byDomain = new Map<string, EnrichedCompany>();
  const out: EnrichedCompany[] = [];
  for (const company of companies) {
    const domain = company.website ? domainOf(company.website.value) : null;
    const twin = domain ? byDomain.get(domain) : undefined;
    if (twin) {
      twin.sources = [...new Set([...twin.sources, ...company.sources])];
      twin.headquarters ??= company.headquarters;
      twin.size ??= company.size;
      twin.industry ??= company.industry;
      twin.description ??= company.description;
      continue;
    }
    const copy = { ...company, sources: [...company.sources] };
    if (domain) byDomain.set(domain, copy);
    out.push(copy);
  }
  return out;
}

/** The top N companies by score as the DESIGN §4 rows; only companies with a real source qualify. */
export function buildLeads(companies: EnrichedCompany[], scores: ScoredCompany[], top: number): Lead[] {
  const byKey = new Map(companies.map((c) => [c.key, c]));
  return scores
    .map((score) => ({ score, company: byKey.get(score.key) }))
    .filter((entry): entry is { score: ScoredCompany; company: EnrichedCompany } => !!entry.company && entry.company.sources.length > 0)
    .sort(
      (a, b) =>
        b.score.fitScore - a.score.fitScore ||
        b.company.sources.length - a.company.sources.length ||
        a.company.name.localeCompare(b.company.name),
    )
    .slice(0, top)
    .map(({ score, company }, index) => ({
      rank: index + 1,
      name: company.name,
      website: company.website?.value ?? null,
      headquarters: company.headquarters?.value ?? null,
      size: company.size?.value ?? null,
      industry: company.industry?.value ?? null,
      fitScore: score.fitScore,
      rationale: score.rationale,
      sources: company.sources.slice(0, MAX_SOURCES_PER_LEAD),
    }));
}

/** What a re-score changed, for "moved up / moved down / new" in Slack. */
export function compareRanks(before: Lead[], after: Lead[]): RankChange[] {
  const previous = new Map(before.map((lead) => [lead.name, lead.rank]));
  return after.map((lead) => {
    const from = previous.get(lead.name);
    if (from === undefined) return { name: lead.name, change: 'new', to: lead.rank };
    return { name: lead.name, change: from > lead.rank ? 'up' : from < lead.rank ? 'down' : 'same', from, to: lead.rank };
  });
}
