// A small fake web about fictional dealer groups and vendors, so the whole pipeline can run offline with
// results that name real-looking companies, variants of one name, competitors and the profile's own company.
import { FakeWorld } from '../fakes/fake-world.js';
import type { FakeSearchHit } from '../fakes/search-corpus.js';
import { rankingFor } from './fake-list-pages.js';

export interface FakeCompany {
  name: string;
  /** Other ways pages write the name ("Harbor Auto Holdings, Inc."). */
  variants: string[];
  domain: string;
  headquarters: string;
  size: string;
  industry: string;
  description: string;
  kind: 'customer' | 'partner' | 'competitor' | 'self';
  /** The fit a careful reader would give; the fake model scores from it. */
  fit: number;
  signal: string;
}

const PLACES = [
  'Dallas, Texas',
  'Houston, Texas',
  'Toronto, Ontario',
  'Phoenix, Arizona',
  'Atlanta, Georgia',
  'Denver, Colorado',
  'Calgary, Alberta',
  'Charlotte, North Carolina',
  'Tampa, Florida',
  'Columbus, Ohio',
  'Nashville, Tennessee',
  'Seattle, Washington',
  'Vancouver, British Columbia',
  'Kansas City, Missouri',
  'Omaha, Nebraska',
  'Boise, Idaho',
  'Richmond, Virginia',
  'Salt Lake City, Utah',
  'Indianapolis, Indiana',
  'Montreal, Quebec',
];
const GROUP_WORDS = [
  'Harbor',
  'Lone Star',
  'Maple Leaf',
  'Summit',
  'Prairie',
  'Coastal',
  'Granite',
  'Bayview',
  'Redwood',
  'Keystone',
  'Liberty',
  'Pioneer',
  'Cascade',
  'Heartland',
  'Blue Ridge',
  'Great Lakes',
  'Sierra',
  'Magnolia',
  'Frontier',
  'Evergreen',
  'Northstar',
  'Canyon',
  'Riverbend',
  'Ironwood',
  'Silverline',
  'Timberline',
  'Bluewater',
  'Sunbelt',
  'Capital City',
  'Tri-County',
  'Gulf Coast',
  'Rocky Mountain',
  'Atlantic',
  'Westbrook',
];
const GROUP_SUFFIXES = ['Auto Holdings', 'Motor Group', 'Automotive Group', 'Auto Group', 'Motors', 'Dealer Group'];
const SIGNALS = [
  'acquired four franchised stores this year',
  'is replacing its legacy DMS after repeated outages',
  'launched a digital retail and online service scheduling program',
  'added Toyota, Ford and Honda franchises to its multi-brand portfolio',
  'opened two new rooftops in the past year',
];
const PARTNERS: [string, string, string][] = [
  ['DriveLine CRM', 'Automotive CRM software', 'CRM and lead management for car dealerships'],
  ['RetailPath Digital', 'Digital retailing software', 'online car buying and digital retailing for dealers'],
  ['ShieldPoint F&I', 'F&I products', 'vehicle service contracts and F&I menus for dealers'],
  ['Northgate Auto Finance', 'Auto lending', 'indirect auto loans through franchised dealers'],
  ['PayLane Payments', 'Payment processing', 'card and ACH payments for dealership service lanes'],
  ['MarketMotive', 'Automotive marketplace', 'an online marketplace listing dealer inventory'],
  ['Telemetrix Auto', 'Vehicle data and telematics', 'connected-car data feeds for dealers and OEMs'],
  ['Keystone Integration Partners', 'Systems integration', 'systems integration for dealer groups'],
  ['ListFlow Inventory', 'Inventory marketing', 'inventory merchandising and marketing for dealers'],
  ['CreditBridge Lending', 'Auto lending', 'prime and near-prime auto loans via dealerships'],
  ['ServiceLoop Messaging', 'Dealer communications', 'two-way texting for service departments'],
  ['OEM Connect Alliance', 'OEM dealer-integration program', 'certified integrations between OEMs and dealer systems'],
];

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, '')
    .replace(/[^a-z0-9]+/g, '');
}

function buildCompanies(): FakeCompany[] {
  const companies: FakeCompany[] = GROUP_WORDS.map((word, index) => {
    const suffix = GROUP_SUFFIXES[index % GROUP_SUFFIXES.length] as string;
    const name = `${word} ${suffix}`;
    const rooftops = 6 + ((index * 7) % 90);
    const domain = `${slug(word)}${suffix.includes('Auto') ? 'auto' : 'motors'}.com`;
    return {
      name,
      variants: [`${name}, Inc.`, `${name} LLC`],
      domain,
      headquarters: PLACES[index % PLACES.length] as string,
      size: `${rooftops} rooftops`,
      industry: 'Franchised new-vehicle dealer group',
      description: `${name} is a franchised dealer group operating ${rooftops} rooftops`,
      kind: 'customer',
      fit: 95 - ((index * 13) % 50),
      signal: SIGNALS[index % SIGNALS.length] as string,
    };
  });
  PARTNERS.forEach(([name, industry, what], index) => {
    companies.push({
      name,
      variants: [`${name} Inc.`],
      domain: `${slug(name)}.com`,
      headquarters: PLACES[(index + 5) % PLACES.length] as string,
      size: `${120 + index * 35} employees`,
      industry,
      description: `${name} provides ${what}`,
      kind: 'partner',
      fit: 92 - ((index * 11) % 45),
      signal: `announced an open API program for dealer software vendors`,
    });
  });
  for (const [name, domain] of [
    ['CDK Global', 'cdkglobal.com'],
    ['Tekion', 'tekion.com'],
    ['Reynolds and Reynolds', 'reyrey.com'],
  ] as const) {
    companies.push({
      name,
      variants: [],
      domain,
      headquarters: 'Hoffman Estates, Illinois',
      size: '8000 employees',
      industry: 'Dealer management systems',
      description: `${name} sells dealer management systems`,
      kind: 'competitor',
      fit: 99,
      signal: 'sells a DMS',
    });
  }
  companies.push({
    name: 'AxleWave',
    variants: ['AxleWave Inc.'],
    domain: 'axlewave.com',
    headquarters: 'Austin, Texas',
    size: '140 employees',
    industry: 'Dealer software',
    description: 'AxleWave builds a cloud DMS',
    kind: 'self',
    fit: 99,
    signal: 'sells a DMS',
  });
  return companies;
}

export const FAKE_COMPANIES: readonly FakeCompany[] = buildCompanies();

/** What the fake model knows of this web: the same companies, their facts as the pages write them, their fit. */
export const FAKE_WORLD = new FakeWorld(
  FAKE_COMPANIES.map((c) => ({
    name: c.name,
    variants: c.variants,
    kind: c.kind,
    fit: c.fit,
    domain: c.domain,
    facts: { hq: [c.headquarters], size: [c.size], industry: [c.industry] },
    signal: c.signal,
  })),
);

export function findCompany(name: string): FakeCompany | undefined {
  const wanted = slug(name.replace(/,?\s+(inc|llc)\.?$/i, ''));
  return FAKE_COMPANIES.find((c) => slug(c.name) === wanted || c.variants.some((v) => slug(v) === wanted));
}

function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

const PARTNER_WORDS =
  /crm|lender|lending|payment|marketplace|inventory|telematics|data|integrat|f&i|oem|vendor|partner|processor|retailing/i;

export interface FakeWebOptions {
  /** Extra pages served first for any research query (e.g. a page with a prompt injection). */
  extraPages?: FakeSearchHit[];
  /** Queries (substring match) that return nothing. */
  emptyFor?: string[];
  /** A smaller web, for many cheap runs: only the first N dealer groups and vendors exist. */
  companiesPerKind?: number;
  /** Pages per research query (default 8). */
  pagesPerQuery?: number;
  /** Research queries also find a ranking page naming 20 companies (its snippet names three), as the real web does. */
  listPages?: boolean;
}

/** What every page the fake web served holds in full, by URL: what the fake Tavily's extract answers. */
const SERVED_PAGES = new Map<string, string>();

/** The full text of a page the fake web served (a ranking's every entry; other pages their title and snippet). */
export function fakeWebPage(url: string): string | undefined {
  return SERVED_PAGES.get(url.replace(/\?.*$/, '').replace(/\/$/, ''));
}

function remember(url: string, text: string): void {
  const key = url.replace(/\?.*$/, '').replace(/\/$/, '');
  if (!SERVED_PAGES.has(key)) SERVED_PAGES.set(key, text);
}

function served(hits: FakeSearchHit[]): FakeSearchHit[] {
  for (const hit of hits) remember(hit.url, `${hit.title}\n${hit.snippet}\nRead more dealer news.`);
  return hits;
}

/** The search engine of the fake web: research queries get articles naming several companies,
 * `"<name>" headquarters website` queries get that company's own pages. */
export function fakeWebResults(options: FakeWebOptions = {}): (query: string) => FakeSearchHit[] {
  return (query) => {
    if (options.emptyFor?.some((q) => query.includes(q))) return [];
    const quoted = /^"(.+)" headquarters website$/.exec(query);
    if (quoted) return served(companyPages(quoted[1] as string));
    const partnerQuery = PARTNER_WORDS.test(query);
    const limit = options.companiesPerKind ?? FAKE_COMPANIES.length;
    const pool = FAKE_COMPANIES.filter((c) => c.kind === (partnerQuery ? 'partner' : 'customer')).slice(0, limit);
    const dealers = FAKE_COMPANIES.filter((c) => c.kind === 'customer').slice(0, limit);
    const seed = hash(query);
    const pages: FakeSearchHit[] = [];
    for (let i = 0; i < (options.pagesPerQuery ?? 8); i++) {
      const a = pool[(seed + i * 3) % pool.length] as FakeCompany;
      // Vendor news names the dealer groups that buy from them, so partner and customer searches overlap.
      const b = (
        partnerQuery && i % 2 === 0 ? dealers[(seed + i) % dealers.length] : pool[(seed + i * 3 + 1) % pool.length]
      ) as FakeCompany;
      const aName = i % 3 === 1 ? (a.variants[0] ?? a.name) : a.name;
      const mentionsRival = i === 2 ? ' It moved off CDK Global and compared Tekion before choosing a new vendor.' : '';
      const mentionsSelf = i === 5 ? ' AxleWave was among the vendors at the show.' : '';
      pages.push({
        title: `${a.name} ${a.signal.split(' ').slice(0, 3).join(' ')} | Auto Retail News`,
        url: `https://news.example-auto.com/${slug(a.name)}-${seed % 997}-${i}?utm_source=feed`,
        snippet: `${aName} ${a.signal}. Also in the report: ${b.name}, which ${b.signal}.${mentionsRival}${mentionsSelf}`,
      });
    }
    if (options.listPages) {
      const ranking = rankingFor(query, partnerQuery, seed, options.companiesPerKind);
      remember(ranking.hit.url, ranking.text);
      pages.splice(1, 0, ranking.hit);
    }
    return served([...(options.extraPages ?? []), ...pages]);
  };
}

function companyPages(name: string): FakeSearchHit[] {
  const company = findCompany(name);
  if (!company) return [];
  return [
    {
      title: `About ${company.name}`,
      url: `https://www.${company.domain}/about-us`,
      snippet: `${company.description}. ${company.name} is headquartered in ${company.headquarters}. Segment: ${company.industry}.`,
    },
    {
      title: `${company.name} company profile`,
      url: `https://directory.example-biz.com/${slug(company.name)}`,
      snippet: `${company.name}, ${company.headquarters}. ${company.size}. ${company.signal}.`,
    },
  ];
}
