// DuckDuckGo as duck-duck-scrape reaches it through a plain-HTTP proxy: GET https://duckduckgo.com/?q= for the VQD
// token, then GET https://links.duckduckgo.com/d.js?… for the results script its SEARCH_REGEX parses.
import { createHash } from 'node:crypto';
import type { FakeReply } from './loopback-server.js';
import { startSearchFake, type FakeSearchOptions, type SearchFake } from './search-corpus.js';

/** `vqd`: the first page has no token; `anomaly`: d.js answers the anomaly block; `server_error`: DDG.deep.is506. */
export type DuckDuckGoFailure = 'vqd' | 'anomaly' | 'server_error' | 'slow' | 'bad_page';

const SCRIPT_TYPE = { 'content-type': 'application/x-javascript; charset=UTF-8' };
const HTML_TYPE = { 'content-type': 'text/html; charset=UTF-8' };

/** Starts the fake; pass `fake.url` as the provider's `proxy` (DUCKDUCKGO_PROXY). */
export function startFakeDuckDuckGo(options: FakeSearchOptions = {}): Promise<SearchFake<DuckDuckGoFailure>> {
  return startSearchFake<DuckDuckGoFailure>(options, (request, context) => {
    if (request.method !== 'GET' || !/^https?:\/\//.test(request.url)) return context.reject(request);
    const target = new URL(request.url);
    const query = target.searchParams.get('q') ?? '';
    if (target.hostname === 'duckduckgo.com' && target.pathname === '/' && query !== '') {
      context.queries.push(query);
      const failure = context.takeFailure(['vqd']);
      if (failure)
        return {
          status: 200,
          headers: HTML_TYPE,
          body: '<html><body><p>Unexpected error. Please try again.</p></body></html>',
        };
      return { status: 200, headers: HTML_TYPE, body: frontPage(query) };
    }
    if (target.hostname === 'links.duckduckgo.com' && target.pathname === '/d.js' && query !== '') {
      if (target.searchParams.get('vqd') !== vqdFor(query))
        return { status: 200, headers: SCRIPT_TYPE, body: anomalyScript() };
      const failure = context.takeFailure(['anomaly', 'server_error', 'slow', 'bad_page']);
      if (failure) return failureReply(failure.kind, failure.delayMs ?? 5_000);
      return { status: 200, headers: SCRIPT_TYPE, body: resultsScript(query, context.results(query)) };
    }
    return context.reject(request);
  });
}

/** The token DuckDuckGo would hand out for a query; d.js requests must echo it. */
export function vqdFor(query: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(query).digest('hex').slice(0, 24)}`)
    .toString()
    .slice(0, 28);
  return `4-${digits}`;
}

function frontPage(query: string): string {
  const safe = query.replace(/[<>&"]/g, ' ');
  return `<!DOCTYPE html><html><head><title>${safe} at DuckDuckGo</title></head><body><script>DDG.ready(function(){DDG.deep.initialize('/d.js?q=${encodeURIComponent(query)}&t=D&l=us-en&kl=wt-wt&s=0&vqd=${vqdFor(query)}',false);});</script><input type="hidden" name="vqd" value="x"><script>vqd="${vqdFor(query)}";</script></body></html>`;
}

function resultsScript(query: string, hits: { title: string; url: string; snippet: string }[]): string {
  const items: Record<string, unknown>[] = hits.map((hit) => ({
    a: hit.snippet,
    c: hit.url,
    d: hit.url.replace(/^https?:\/\//, ''),
    i: safeHost(hit.url),
    k: null,
    m: 0,
    t: hit.title,
    u: hit.url,
  }));
  items.push(
    items.length === 0
      ? { t: 'EOF' }
      : { n: `/d.js?q=${encodeURIComponent(query)}&s=${items.length}&vqd=${vqdFor(query)}` },
  );
  return `if (DDG.deep && DDG.deep.setUpstream) DDG.deep.setUpstream("bingv7aa");DDG.deep.bn={'ivc':1};DDG.pageLayout.load('d',${JSON.stringify(items)});DDG.duckbar.load('images');DDG.duckbar.loadModule('related_searches');`;
}

function anomalyScript(): string {
  return `DDG.deep.anomalyDetectionBlock({"lmid":"fake","kind":"anomaly"});`;
}

function failureReply(kind: DuckDuckGoFailure, delayMs: number): FakeReply {
  switch (kind) {
    case 'anomaly':
      return { status: 200, headers: SCRIPT_TYPE, body: anomalyScript() };
    case 'server_error':
      return { status: 200, headers: SCRIPT_TYPE, body: 'DDG.deep.is506();' };
    case 'slow':
      return {
        delayMs,
        status: 200,
        headers: SCRIPT_TYPE,
        body: 'DDG.pageLayout.load(\'d\',[{"t":"EOF"}]);DDG.duckbar.load(\'images\');',
      };
    case 'bad_page':
    case 'vqd':
      return { status: 200, headers: HTML_TYPE, body: '<html><body>Please enable JavaScript.</body></html>' };
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
