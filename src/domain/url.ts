import { getDomain } from 'tldts';

// URL helpers shared by search, grounding and Slack rendering: one lead per domain depends on them agreeing.

const TRACKING_PARAMS = new Set([
  'gclid',
  'fbclid',
  'ref',
  'msclkid',
  'dclid',
  'yclid',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmkt',
]);
const BARE_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:\d+)?([/?#].*)?$/i;

/** True for an absolute http(s) URL with a host; search results without one are dropped. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const url = parse(value.trim());
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/**
 * Canonical form of a web address, so the same page found twice (or a website the LLM wrote as
 * "AutoNation.com/") compares equal: lowercase host, no fragment, no tracking parameters, no trailing
 * slash on the root. A bare host gets https://. Anything that is not an http(s) URL comes back trimmed.
 */
export function normaliseUrl(value: string): string {
  const trimmed = value.trim();
  const withScheme = !/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && BARE_HOST.test(trimmed) ? `https://${trimmed}` : trimmed;
  const url = parse(withScheme);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return trimmed;
  url.hash = '';
  for (const name of [...url.searchParams.keys()]) {
    const lower = name.toLowerCase();
    if (lower.startsWith('utm_') || TRACKING_PARAMS.has(lower)) url.searchParams.delete(name);
  }
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  const text = url.searchParams.size === 0 ? url.toString().replace(/\?$/, '') : url.toString();
  return url.pathname === '/' && url.search === '' ? text.replace(/\/$/, '') : text;
}

/**
 * The registrable domain ("autonation.com", "example.co.uk"), without subdomains; undefined if not a URL.
 * Hosting suffixes from the public suffix list count as suffixes, so foo.github.io and bar.github.io are
 * two companies, not one. An IP address or a bare host name is its own domain.
 */
export function domainOf(value: string): string | undefined {
  const normalised = normaliseUrl(value);
  if (!isHttpUrl(normalised)) return undefined;
  const host = (parse(normalised) as URL).hostname.replace(/^www\d*\./, '');
  if (/^[\d.]+$/.test(host) || host.startsWith('[')) return host;
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
