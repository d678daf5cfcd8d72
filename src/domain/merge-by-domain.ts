import { domainOf } from './url.js';

/**
 * One entry per registrable domain, in first-seen order: a later entry on a domain already kept is folded into
 * the kept one by `fold`. Entries without a domain are all kept. The one place "one lead per domain" is decided,
 * for research candidates and enriched companies alike.
 */
export function mergeByDomain<T>(
  items: readonly T[],
  websiteOf: (item: T) => string | null | undefined,
  fold: (kept: T, twin: T) => void,
): T[] {
  const byDomain = new Map<string, T>();
  const out: T[] = [];
  for (const item of items) {
    const website = websiteOf(item);
    const domain = website ? domainOf(website) : undefined;
    const kept = domain ? byDomain.get(domain) : undefined;
    if (kept !== undefined) {
      fold(kept, item);
      continue;
    }
    if (domain) byDomain.set(domain, item);
    out.push(item);
  }
  return out;
}
