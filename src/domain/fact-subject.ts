import { domainMatchesName, mentions, plainWords, searchableText } from './grounding.js';

// A page that states "HQ: Fort Worth, TX" may say it about another company: a directory profile lists "Similar
// companies", a news item moves on to a second group, a press release names two. These read a page into the
// parts that talk about one company, so a fact is only grounded where the page states it about that company.

/** Words many company names share; the rest ("lone star", "paylane") is how a page names the company in short. */
const GENERIC_NAME_WORDS = new Set([
  'auto',
  'automotive',
  'motor',
  'motors',
  'group',
  'groups',
  'holdings',
  'partners',
  'network',
  'dealer',
  'dealers',
  'dealership',
  'dealerships',
  'company',
  'companies',
  'centers',
  'centres',
  'center',
  'payments',
  'lending',
  'finance',
  'digital',
  'messaging',
  'integration',
  'crm',
  'the',
  'and',
  'of',
  'inc',
  'llc',
  'co',
]);
/** Words a dot follows without ending the sentence ("Ft. Worth", "Summit Automotive Group, Inc. acquired"). */
const ABBREVIATIONS = new Set([
  'ft',
  'st',
  'ste',
  'mt',
  'inc',
  'co',
  'corp',
  'ltd',
  'jr',
  'sr',
  'dr',
  'mr',
  'mrs',
  'ms',
  'no',
  'vs',
  'e.g',
  'i.e',
]);
/** Openings that hand the sentence to other companies ("Similar companies: …", "Compare with …", "Separately, …"). */
const OTHERS_CUE = /^(?:similar|compare|related|competitors|see also|also|separately|other|people also|vs\b|versus)/i;
/** Openings that refer back to the company just named ("The company now operates…", "Its CFO…"). */
const REFERRING = new Set(['the', 'its', 'it', 'our', 'we', 'this', 'their', 'they', 'today']);
/** Title words that say what kind of page it is, not whose ("About Us | X", "X Company Profile"). */
const PAGE_WORDS = new Set([
  'about',
  'us',
  'company',
  'profile',
  'overview',
  'home',
  'official',
  'site',
  'website',
  'linkedin',
]);
const OWN_PAGE_PATH = /^\/?(?:about[\w-]*|who-we-are|our-story|company|home|index\.html?)?\/?$/i;

/** How a text names one company: its key ("lone star motor") and, when distinctive, its short name ("lone star"). */
interface Naming {
  key: string;
  short: string;
}

function namingOf(key: string): Naming {
  const words = key.split(' ');
  const distinctive = words.filter((w) => !GENERIC_NAME_WORDS.has(w));
  const short =
    distinctive.length > 0 && distinctive.length < words.length && words.indexOf(distinctive[0] as string) === 0
      ? distinctive.join(' ')
      : '';
  return { key, short: short.replace(/ /g, '').length >= 4 ? short : '' };
}

function names(searchable: string, naming: Naming): boolean {
  return mentions(searchable, naming.key) || (naming.short !== '' && mentions(searchable, naming.short));
}

/**
 * The parts of a text that end a thought: sentences, ";"-separated items, lines, and a press-release dateline
 * ("FORT WORTH, Tex. -- …"). One pass over the text; a dot after an abbreviation or before a lowercase word does
 * not end a sentence.
 */
export function sentencesOf(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const match of text.matchAll(/[.!?]+(?=\s)|;|\n|\s--?\s|\s[—–]\s/g)) {
    const at = match.index;
    const end = at + match[0].length;
    if (match[0][0] === '.') {
      const before = /([A-Za-z.]{1,4})$/.exec(text.slice(Math.max(start, at - 4), at))?.[1]?.toLowerCase() ?? '';
      const word = before.split('.').pop() ?? '';
      const next = /\S/.exec(text.slice(end, end + 8))?.[0] ?? '';
      const abbreviation =
        ABBREVIATIONS.has(word) || ABBREVIATIONS.has(before) || (word.length === 1 && /[a-z]/.test(word));
      if (abbreviation || !/[A-Z0-9"“'(]/.test(next)) continue;
    }
    out.push(text.slice(start, end));
    start = end;
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

/** True when a sentence starts talking about someone else: a cue such as "Similar companies:", or a name as subject. */
function startsOtherSubject(sentence: string): boolean {
  const trimmed = sentence.replace(/^[\s"“'(\d.]+/, '');
  if (OTHERS_CUE.test(trimmed)) return true;
  const [first = '', second = ''] = trimmed.split(/\s+/, 2);
  const capitalised = (word: string) => /^[A-Z]/.test(word) && /[A-Za-z0-9&]$/.test(word);
  return capitalised(first) && capitalised(second) && !REFERRING.has(first.toLowerCase());
}

/** True when the page as a whole is about the company: its own home or about page, its slug, or its title's name. */
function pageIsAbout(url: string, title: string, naming: Naming): boolean {
  let path = '';
  let host = '';
  try {
    const parsed = new URL(url);
    path = parsed.pathname;
    host = parsed.hostname.replace(/^www\./, '');
  } catch {
    // Not a URL: only the title can say whose page it is.
  }
  if (host && domainMatchesName(host, naming.key) && OWN_PAGE_PATH.test(path)) return true;
  const slug = (path.split('/').filter(Boolean).pop() ?? '').replace(/-\d+$/, '');
  const joined = (words: string) => words.replace(/ and /g, ' ').replace(/ /g, '');
  if (slug && joined(plainWords(slug).join(' ')) === joined(naming.key)) return true;
  const firstPart = title.split(/\s[|–—-]\s|\|/).find((part) => plainWords(part).some((w) => !PAGE_WORDS.has(w))) ?? '';
  const words = plainWords(firstPart);
  while (words.length > 0 && PAGE_WORDS.has(words[0] as string)) words.shift();
  while (words.length > 0 && PAGE_WORDS.has(words[words.length - 1] as string)) words.pop();
  const rest = words.join(' ');
  return rest === naming.key || (naming.short !== '' && rest === naming.short);
}

/**
 * The parts of a page that talk about the company (by its key): title parts that name it, and text sentences that
 * name it or carry on from one that did ("The company now operates 7 rooftops."). Where nothing has named anyone
 * yet, the page's own subject holds (a profile whose slug or title is the company). A sentence that names only
 * someone else, or a dateline, is nobody's fact but theirs.
 */
export function textAbout(key: string, page: { url: string; title: string; text: string }): string {
  const naming = namingOf(key);
  const kept: string[] = [];
  let about = pageIsAbout(page.url, page.title, naming);
  for (const part of page.title.split(/\s[|–—-]\s|\||;/)) {
    if (about || names(searchableText(part), naming)) kept.push(part);
  }
  for (const sentence of sentencesOf(page.text)) {
    if (names(searchableText(sentence), naming)) about = true;
    else if (startsOtherSubject(sentence)) about = false;
    if (about) kept.push(sentence);
  }
  return kept.join('\n');
}
