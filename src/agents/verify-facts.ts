import { statesPlace, statesQuantity } from '../domain/fact-forms.js';
import { textAbout } from '../domain/fact-subject.js';
import { cleanValue, domainMatchesName, plainWords, searchableText } from '../domain/grounding.js';
import type { SourcedField } from '../domain/types.js';
import { domainOf, isHttpUrl, normaliseUrl } from '../domain/url.js';

// The model proposes facts with a source number; these checks keep only facts that source really states.

export interface SourceText {
  url: string;
  title: string;
  text: string;
}

type FactKind = 'website' | 'headquarters' | 'size' | 'industry' | 'description';

/** Sites that describe companies but are nobody's own website. */
const NOT_A_COMPANY_SITE = new Set([
  'linkedin.com',
  'facebook.com',
  'twitter.com',
  'x.com',
  'instagram.com',
  'youtube.com',
  'wikipedia.org',
  'crunchbase.com',
  'zoominfo.com',
  'bloomberg.com',
  'glassdoor.com',
  'indeed.com',
  'yelp.com',
  'bbb.org',
  'dnb.com',
  'google.com',
  'duckduckgo.com',
]);

const STOPWORDS = new Set([
  'with',
  'from',
  'that',
  'this',
  'their',
  'which',
  'company',
  'based',
  'other',
  'into',
  'over',
  'more',
]);

const FILLER_WORDS = new Set(['and', 'or', 'of', 'the', 'for', 'in', 'to', 'a', 'an', 'with', 'new']);
const GENERIC_INDUSTRY_WORDS = new Set([
  'group',
  'groups',
  'dealer',
  'dealers',
  'dealership',
  'dealerships',
  'company',
  'companies',
  'services',
  'service',
  'provider',
  'providers',
  'automotive',
  'auto',
  'business',
]);

/** Returns the fact with its source URL when the cited source supports it, otherwise null. */
export function verifyFact(
  kind: FactKind,
  proposed: { value: string; source: number } | null,
  sourcesById: Map<number, SourceText>,
  companyKeyValue: string,
): SourcedField | null {
  if (!proposed) return null;
  const value = cleanValue(proposed.value, kind === 'description' ? 200 : 120);
  const source = sourcesById.get(proposed.source);
  if (!value || !source) return null;
  const raw = `${source.title} ${source.text}`;
  // Place, size and industry count only where the page says them about this company, not about a neighbour.
  const about =
    kind === 'headquarters' || kind === 'size' || kind === 'industry' ? textAbout(companyKeyValue, source) : raw;
  const searchable = searchableText(kind === 'description' ? raw : about);
  switch (kind) {
    case 'website': {
      const url = normaliseUrl(value);
      const domain = isHttpUrl(url) ? domainOf(url) : undefined;
      if (!domain || NOT_A_COMPANY_SITE.has(domain)) return null;
      const seen = domainOf(source.url) === domain || raw.toLowerCase().includes(domain);
      const plausible = domainMatchesName(domain, companyKeyValue) || domainOf(source.url) === domain;
      return seen && plausible ? { value: `https://${domain}`, source: source.url } : null;
    }
    case 'headquarters':
      // "Duluth, Georgia" is stated by "HQ: Duluth, GA" and "based out of Duluth", not by "Duluth, Minnesota".
      return statesPlace(value, about) ? { value, source: source.url } : null;
    case 'size':
      // "1.2k employees" is stated by "1,200 employees"; "20 rooftops" is not stated by "200 rooftops".
      return statesQuantity(value, about) ? { value, source: source.url } : null;
    case 'industry': {
      // The words that tell one industry from another must all be on the page: "dealer group" alone does not
      // make "RV dealer group" or "Powersports dealer group".
      const words = plainWords(value).filter((w) => w.length >= 2 && !FILLER_WORDS.has(w));
      const telling = words.filter((w) => !GENERIC_INDUSTRY_WORDS.has(w));
      const needed = telling.length > 0 ? telling : words;
      return needed.length > 0 && needed.every((w) => searchable.includes(` ${w} `))
        ? { value, source: source.url }
        : null;
    }
    case 'description': {
      const words = plainWords(value).filter((w) => w.length >= 4 && !STOPWORDS.has(w));
      const found = words.filter((w) => searchable.includes(` ${w}`)).length;
      return words.length > 0 && found >= Math.min(2, words.length) ? { value, source: source.url } : null;
    }
  }
}

/** A website read off the result URLs themselves, when one of them is plainly the company's own domain. */
export function websiteFromSources(
  key: string,
  sources: SourceText[],
  knownDomain: string | null,
): SourcedField | null {
  for (const source of sources) {
    const domain = domainOf(source.url);
    if (domain && !NOT_A_COMPANY_SITE.has(domain) && (domain === knownDomain || domainMatchesName(domain, key))) {
      return { value: `https://${domain}`, source: source.url };
    }
  }
  return null;
}

/** A one-line description quoted from the company's own site, so it is grounded by construction. */
export function descriptionFromSources(website: SourcedField | null, sources: SourceText[]): SourcedField | null {
  const domain = website ? domainOf(website.value) : undefined;
  if (!domain) return null;
  const own = sources.find((source) => domainOf(source.url) === domain && source.text.trim().length > 20);
  if (!own) return null;
  const sentence =
    own.text
      .replace(/\s+/g, ' ')
      .trim()
      .split(/(?<=[.!?])\s/)[0] ?? '';
  return cleanValue(sentence, 160) ? { value: cleanValue(sentence, 160) as string, source: own.url } : null;
}
