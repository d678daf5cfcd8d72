// Which search results to read in full (the ones most likely to list companies: rankings, directories, member
// lists), how much of each page the model sees (chunks within a per-run budget), and the line of a page that names
// a company (its evidence). Pure functions over text, each linear in its input.
import { mentions, searchableText } from '../domain/grounding.js';
import { clip } from '../domain/text.js';
import { domainOf } from '../domain/url.js';
import type { ReadPage } from '../search/page-types.js';
import type { SearchResult } from '../search/types.js';

/** Pages read per run at most: reading is for the few pages that name many companies, not for every result. */
export const MAX_LIST_PAGES = 3;
/** Characters of one page the model sees (after cleaning), and of all pages of a run together. */
export const PAGE_CHARS = 6_000;
export const PAGE_CHARS_PER_RUN = 12_000;
/** One chunk of page text in an extraction call, cut at line boundaries. */
export const CHUNK_CHARS = 3_000;

const LIST_WORDS =
  /\b(top|ranking|rankings|ranked|list|lists|largest|biggest|leading|directory|directories|members|membership|association|roster|who'?s who|power \d+|\d+ (?:best|largest|biggest|top))\b/i;
const PLURAL_KINDS =
  /\b(dealer groups|dealerships|dealers|companies|groups|vendors|providers|lenders|partners|retailers|platforms|members)\b/i;
const ENUMERATION = /(?:^|\s)#?\d{1,3}[.)]\s/g;

/** How strongly a result looks like a page that lists companies (0 = not at all). */
export function listLikeness(result: Pick<SearchResult, 'title' | 'url' | 'snippet'>): number {
  let score = 0;
  if (LIST_WORDS.test(result.title)) score += 2;
  if (PLURAL_KINDS.test(result.title)) score += 1;
  const path = safePath(result.url);
  if (LIST_WORDS.test(path.replace(/[-_/]+/g, ' '))) score += 1;
  if ((result.snippet.match(ENUMERATION) ?? []).length >= 2) score += 1;
  return score;
}

/** The results worth reading in full: list-like enough, one per site, the most list-like first. */
export function pickListPages(results: readonly SearchResult[], max = MAX_LIST_PAGES): string[] {
  const scored = results
    .map((result, index) => ({ url: result.url, score: listLikeness(result), index }))
    .filter((entry) => entry.score >= 3)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const sites = new Set<string>();
  const picked: string[] = [];
  for (const entry of scored) {
    const site = domainOf(entry.url) ?? entry.url;
    if (sites.has(site)) continue;
    sites.add(site);
    picked.push(entry.url);
    if (picked.length >= max) break;
  }
  return picked;
}

/** A piece of a read page as an extraction call quotes it. */
export interface PageChunk {
  /** P1, P2… per page, so a prompt can say which page a chunk is from. */
  label: string;
  url: string;
  title: string;
  text: string;
}

/** The pages' text cut into chunks at line boundaries, at most PAGE_CHARS per page and PAGE_CHARS_PER_RUN in all. */
export function pageChunks(pages: readonly ReadPage[]): PageChunk[] {
  const chunks: PageChunk[] = [];
  let left = PAGE_CHARS_PER_RUN;
  pages.forEach((page, index) => {
    if (left <= 0) return;
    const room = Math.min(PAGE_CHARS, left);
    let current = '';
    let used = 0;
    const flush = () => {
      if (current.trim() === '') return;
      chunks.push({ label: `P${index + 1}`, url: page.url, title: page.title, text: current });
      current = '';
    };
    for (const line of page.text.split('\n')) {
      const piece = line.length > CHUNK_CHARS ? line.slice(0, CHUNK_CHARS) : line;
      if (used + piece.length > room) break;
      if (current.length + piece.length + 1 > CHUNK_CHARS) flush();
      current += current ? `\n${piece}` : piece;
      used += piece.length + 1;
    }
    flush();
    left -= used;
  });
  return chunks;
}

/** The line (or, in a long paragraph, the sentence) of a page that names the company: its evidence from that page. */
export function entryNaming(text: string, key: string, max = 240): string | undefined {
  for (const line of text.split('\n')) {
    if (!mentions(searchableText(line), key)) continue;
    if (line.length <= max) return line;
    const sentence = line.split(/(?<=[.!?;])\s+/).find((part) => mentions(searchableText(part), key));
    return clip(sentence ?? line, max);
  }
  return undefined;
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
