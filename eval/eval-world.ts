// The evaluation's fake web and what the fake model knows of it, both read from the committed corpus.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeWorld } from '../test/fakes/fake-world.js';
import type { FakeSearchHit } from '../test/fakes/search-corpus.js';
import { TRUTH, type TruthCompany } from '../test/fixtures/eval/companies.js';

const CORPUS = join(import.meta.dirname, '../test/fixtures/eval/search.json');

interface TavilyAnswer {
  results: { title: string; url: string; content: string }[];
}
interface SerperAnswer {
  organic: { title: string; link: string; snippet: string }[];
}

interface Corpus {
  tavily: Record<string, TavilyAnswer>;
  serper: Record<string, SerperAnswer>;
  /** What Tavily's extract answers for the list pages (their whole text). */
  pages: Record<string, string>;
}

const readCorpus = () => JSON.parse(readFileSync(CORPUS, 'utf8')) as Corpus;

/** Tavily's extract over the corpus: a list page's whole text, any other research result's recorded content. */
export function corpusPage(): (url: string) => string | undefined {
  const corpus = readCorpus();
  const contents = new Map<string, string>();
  for (const answer of Object.values(corpus.tavily)) for (const r of answer.results) contents.set(r.url, r.content);
  return (url) => corpus.pages[url] ?? contents.get(url);
}

/** The recorded answers as one search engine: Tavily's research answers and Serper's look-ups, by exact query. */
export function corpusSearch(): (query: string) => FakeSearchHit[] {
  const corpus = readCorpus();
  return (query) => {
    const research = corpus.tavily[query]?.results.map((r) => ({ title: r.title, url: r.url, snippet: r.content }));
    const lookup = corpus.serper[query]?.organic.map((r) => ({ title: r.title, url: r.link, snippet: r.snippet }));
    return research ?? lookup ?? [];
  };
}

const k = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k` : String(n));
const thousands = (n: number) => n.toLocaleString('en-US');
const short = (city: string) =>
  city
    .replace(/^Fort /, 'Ft. ')
    .replace(/^Saint /, 'St. ')
    .replace(/^Mount /, 'Mt. ');

/** Every way the corpus writes a company's place and size, canonical form first: what the fake model can find. */
export function phrasings(c: TruthCompany): { hq: string[]; size: string[] } {
  if (!c.city || c.count === undefined) return { hq: [], size: [] };
  const n = c.count;
  const hq = [
    `${c.city}, ${c.region}`,
    `${c.city}, ${c.postal}`,
    `${c.city}, ${c.press}`,
    `${short(c.city)}, ${c.postal}`,
  ];
  const size =
    c.unit === 'employees'
      ? [
          `${thousands(n)} employees`,
          `${k(n)} employees`,
          `more than ${thousands(n)} employees`,
          `over ${thousands(n)} people`,
          `${thousands(n)}+ employees`,
        ]
      : [
          `${n} rooftops`,
          `${n}+ dealerships`,
          `more than ${n} stores`,
          `over ${n} locations`,
          `${n} franchised dealerships`,
        ];
  return { hq, size };
}

/** The corpus's companies as the fake model knows them. */
export function corpusWorld(): FakeWorld {
  return new FakeWorld(
    TRUTH.map((c) => {
      const { hq, size } = phrasings(c);
      return {
        name: c.name,
        variants: c.variants,
        kind: c.kind,
        fit: c.fit,
        domain: c.domain,
        facts: { hq, size, industry: c.industry ? [c.industry] : [] },
        signal: c.signal,
      };
    }),
  );
}
