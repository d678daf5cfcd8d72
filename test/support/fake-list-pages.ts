// List pages of the fake web (rankings that name many dealer groups, only the first few in their snippet) and the
// page texts Tavily's extract serves for them, so tests and the bench can see what reading pages in full finds.
import type { FakeSearchHit } from '../fakes/search-corpus.js';
import { FAKE_COMPANIES, type FakeCompany } from './fake-web.js';

const RANKING_SITES = ['dealerrankings.example.com', 'autoretail-top100.example.com', 'dealer-directory.example.org'];

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** One ranking entry as such pages write it: "7. Harbor Auto Holdings (Dallas, Texas) – 6 rooftops". */
function entry(company: FakeCompany, rank: number): string {
  return `${rank}. ${company.name} (${company.headquarters}) – ${company.size}`;
}

/** A ranking page: its search hit (the snippet names the first three) and its full text (every entry, one a line). */
export interface ListPage {
  hit: FakeSearchHit;
  text: string;
}

/** A ranking of these companies on one site, with page chrome around the list as real pages have. */
export function rankingPage(companies: readonly FakeCompany[], site: string, topic: string): ListPage {
  const title = `Top ${companies.length} ${topic} to watch in 2025 | Dealer Rankings`;
  const first = companies
    .slice(0, 3)
    .map((c, i) => `${i + 1}. ${c.name}`)
    .join(' ');
  return {
    hit: {
      title,
      url: `https://${site}/rankings/2025/${slug(topic)}`,
      snippet: `Our 2025 ranking of ${topic}: ${first} … and ${companies.length - 3} more.`,
    },
    text: [
      title,
      'Home | Rankings | Newsletter',
      `The ${companies.length} ${topic} below grew fastest this year, by rooftops added.`,
      ...companies.map((c, i) => entry(c, i + 1)),
      'Methodology: groups reported their store counts to us in October.',
    ].join('\n'),
  };
}

const dealers = () => FAKE_COMPANIES.filter((c) => c.kind === 'customer');
const vendors = () => FAKE_COMPANIES.filter((c) => c.kind === 'partner');

/** A ranking page for a research query of the fake web: 20 of the kind asked for, from a site picked by the query. */
export function rankingFor(query: string, partnerQuery: boolean, seed: number, limit?: number): ListPage {
  const pool = (partnerQuery ? vendors() : dealers()).slice(0, limit);
  const start = seed % pool.length;
  const picked = Array.from({ length: Math.min(20, pool.length) }, (_, i) => pool[(start + i) % pool.length]!);
  const topic = partnerQuery ? 'dealer software vendors and partners' : 'dealer groups';
  return rankingPage(picked, RANKING_SITES[seed % RANKING_SITES.length]!, `${topic} ${slug(query).slice(0, 24)}`);
}

/**
 * The web of the finding: one ranking page names `size` dealer groups (its snippet the first three), and the
 * news names only the first `inNews` of them. Read as snippets, it holds `inNews` companies; read in full, `size`.
 */
export function rankingWeb(
  size = 20,
  inNews = 14,
): {
  results: (query: string) => FakeSearchHit[];
  page: (url: string) => string | undefined;
  ranking: ListPage;
  companies: FakeCompany[];
} {
  const companies = dealers().slice(0, size);
  const ranking = rankingPage(companies, RANKING_SITES[0]!, 'dealer groups');
  const news = (query: string): FakeSearchHit[] =>
    Array.from({ length: 7 }, (_, i) => {
      const a = companies[(i * 2 + query.length) % inNews]!;
      const b = companies[(i * 2 + 1 + query.length) % inNews]!;
      return {
        title: `${a.name} ${a.signal.split(' ').slice(0, 3).join(' ')} | Auto Retail News`,
        url: `https://news.example-auto.com/${slug(a.name)}-${slug(query).slice(0, 20)}-${i}`,
        snippet: `${a.name} ${a.signal}. Also in the report: ${b.name}, which ${b.signal}.`,
      };
    });
  return {
    companies,
    ranking,
    results(query) {
      const quoted = /^"(.+)" headquarters website$/.exec(query);
      if (quoted) return companyPagesFor(quoted[1] as string);
      return [ranking.hit, ...news(query)];
    },
    page: (url) => (url === ranking.hit.url ? ranking.text : undefined),
  };
}

function companyPagesFor(name: string): FakeSearchHit[] {
  const company = FAKE_COMPANIES.find((c) => c.name === name || c.variants.includes(name));
  if (!company) return [];
  return [
    {
      title: `About ${company.name}`,
      url: `https://www.${company.domain}/about-us`,
      snippet: `${company.description}. ${company.name} is headquartered in ${company.headquarters}. Segment: ${company.industry}.`,
    },
  ];
}
