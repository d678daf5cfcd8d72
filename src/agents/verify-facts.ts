import { cleanValue, domainMatchesName, mentions, plainWords, searchableText } from '../domain/grounding.js';
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

const STOPWORDS = new Set(['with', 'from', 'that', 'this', 'their', 'which', 'company', 'based', 'other', 'into', 'over', 'more']);

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
  const searchable = searchableText(raw);
  switch (kind) {
    case 'website': {
      const url = normaliseUrl(value);
      const domain = isHttpUrl(url) ? domainOf(url) : undefined;
      if (!domain || NOT_A_COMPANY_SITE.has(domain)) return null;
      const seen = domainOf(source.url) === domain || raw.toLowerCase().includes(domain);
      const plausible = domainMatchesName(domain, companyKeyValue) || domainOf(source.url) === domain;
      return seen && plausible ? { value: `https://${domain}`, source: source.url } : null;
    }
    case 'headquarters': {
      const city = value.split(',')[0] ?? '';
      return mentions(searchable, plainWords(city).join(' ')) ? { value, source: source.url } : null;
    }
    case 'size': {
      const numbers = value.match(/\d[\d,.]*/g) ?? [];
      const digitsInSource = raw.replace(/(\d),(\d)/g, '$1$2');
      const supported = numbers.length > 0 && numbers.every((n) => digitsInSource.includes(n.replace(/,/g, '').replace(/\.$/, '')));
      return supported ? { value, source: source.url } : null;
    }
    case 'industry':
    case 'description': {
      const words = plainWords(value).filter((w) => w.length >= 4 && !STOPWORDS.has(w));
      const found = words.filter((w) => searchable.includes(` ${w}`)).length;
      const needed = kind === 'industry' ? 1 : Math.min(2, words.length);
      return words.length > 0 && found >= needed ? { value, source: source.url } : null;
    }
  }
}

/** A website read off the result URLs themselves, when one of them is plainly the company's own domain. */
export function websiteFromSources(key: string, sources: SourceText[], knownDomain: string | null): SourcedField | null {
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
  const sentence = own.text.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s/)[0] ?? '';
  return cleanValue(sentence, 160) ? { value: cleanValue(sentence, 160) as string, source: own.url } : null;
}
