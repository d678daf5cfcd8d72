import type { CompanyProfile } from './company-profile.js';
import { collapseWhitespace, truncate } from './text.js';

// Grounding rules (docs/architecture.md#grounding-rules): what makes a name a real lead, when two names are one company,
// and which companies may never be leads. Pure functions, so they are easy to trust and test.

const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'lp',
  'llp',
  'ulc',
  'sa',
  'ag',
  'gmbh',
]);

/** "The AutoNation, Inc." → "autonation": the key two mentions of one company share. */
export function companyKey(name: string): string {
  const tokens = plainWords(name);
  if (tokens[0] === 'the' && tokens.length > 1) tokens.shift();
  while (tokens.length > 1 && LEGAL_SUFFIXES.has(tokens[tokens.length - 1] as string)) tokens.pop();
  return tokens.join(' ');
}

/** Lowercase words without accents or punctuation; "&" reads as "and". */
export function plainWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** Text prepared once for many `mentions` checks. */
export function searchableText(text: string): string {
  return ` ${plainWords(text).join(' ')} `;
}

/** True when the company's key appears as whole words in the (searchable) text. */
export function mentions(searchable: string, key: string): boolean {
  return key.length > 0 && searchable.includes(` ${key} `);
}

/** True when a web domain plausibly belongs to the company ("harborauto.com" for "Harbor Auto Holdings"). */
export function domainMatchesName(domain: string, key: string): boolean {
  const label = (domain.split('.')[0] ?? '').replace(/-/g, '');
  const joined = key.replace(/ /g, '');
  if (label.length < 4 || joined.length < 4) return false;
  if (label === joined) return true;
  if (joined.startsWith(label) && label.length >= 6) return true;
  if (label.startsWith(joined)) return true;
  const acronym = key
    .split(' ')
    .map((word) => word[0])
    .join('');
  return acronym.length >= 3 && (label === acronym || label === `${acronym}group`);
}

const NULLISH =
  /^(n\/?a|none|null|undefined|unknown|not (?:available|specified|found|mentioned|provided|disclosed|stated)|tbd|tba|-+|—|–|\?+|\.+)$/i;

/** "N/A", "Unknown", "-" and empty strings become null: unsupported facts are absent, not guessed. */
export function cleanValue(value: string | null | undefined, maxLength = 200): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = collapseWhitespace(value);
  if (trimmed === '' || NULLISH.test(trimmed)) return null;
  return truncate(trimmed, maxLength, { wordBoundary: false });
}

/** Who may never be a lead: the profile's own company always, competitors unless the request names them. */
export interface ExclusionList {
  isExcluded(candidate: { key: string; domain: string | null }): boolean;
}

export function buildExclusionList(profile: CompanyProfile, requestText: string): ExclusionList {
  const requested = searchableText(requestText);
  const fullNames = new Set<string>();
  const exactNames = new Set<string>();
  const domains = new Set<string>();
  const add = (company: { name: string; aliases: string[]; domains: string[] }) => {
    fullNames.add(companyKey(company.name));
    for (const alias of company.aliases) exactNames.add(companyKey(alias));
    for (const domain of company.domains) domains.add(domain.toLowerCase().replace(/^www\./, ''));
  };
  add(profile.company);
  for (const competitor of profile.competitors) {
    const askedFor = [competitor.name, ...competitor.aliases].some((name) => mentions(requested, companyKey(name)));
    if (!askedFor) add(competitor);
  }
  return {
    isExcluded({ key, domain }) {
      if (fullNames.has(key) || exactNames.has(key)) return true;
      for (const full of fullNames) {
        // "CDK Global DMS" is still CDK Global; a one-word name such as "Reynolds" only matches exactly.
        if (full.includes(' ') && key.startsWith(`${full} `)) return true;
      }
      if (domain) {
        for (const blocked of domains) if (domain === blocked || domain.endsWith(`.${blocked}`)) return true;
      }
      return false;
    },
  };
}
