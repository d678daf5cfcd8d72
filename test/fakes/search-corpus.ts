// Shared pieces of the search fakes: the hit shape, a small fake web of dealer groups, and the server wrapper
// that counts requests in flight and serves scripted failures.
import { afterTest, expectNoneUnexpected } from '../support/teardown.js';
import { startLoopbackServer, type FakeReply, type LoopbackServer, type RecordedRequest } from './loopback-server.js';

/** One page of the fake web, as every fake serves it in its own wire format. */
export interface FakeSearchHit {
  title: string;
  url: string;
  snippet: string;
}

/** Answers a query; plug a shared corpus here. */
export type ResultsFn = (query: string) => FakeSearchHit[];

export interface FakeSearchOptions {
  results?: ResultsFn;
  /** Added to every answer (the cost model charges 250 ms per search). */
  latencyMs?: number;
  port?: number;
  /** Behind a proxy: requests without exactly this Authorization header get its 401 page. */
  requireAuthorization?: string;
}

/** A scripted failure: a kind, optionally with its Retry-After or delay. */
export type FailureSpec<K extends string> = K | { kind: K; retryAfterSeconds?: number; delayMs?: number };

export interface SearchFake<K extends string> {
  url: string;
  requests: RecordedRequest[];
  /** Requests the fake did not expect (wrong path, method or auth); a test should see none. */
  unexpected: RecordedRequest[];
  /** Queries in the order they were answered or failed. */
  queries: string[];
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Raw replies served first, whatever the request. */
  enqueue(...replies: FakeReply[]): void;
  /** Failures served to the next matching requests, in order. */
  enqueueFailure(...failures: FailureSpec<K>[]): void;
  close(): Promise<void>;
  server: LoopbackServer;
}

export interface FakeContext<K extends string> {
  results: ResultsFn;
  queries: string[];
  /** Takes the first queued failure this request can serve (all kinds when `accepts` is omitted). */
  takeFailure(accepts?: readonly K[]): { kind: K; retryAfterSeconds?: number; delayMs?: number } | undefined;
  /** Records an unexpected request and answers 404 (or the given reply). */
  reject(request: RecordedRequest, reply?: FakeReply): FakeReply;
}

/** Starts a search fake: `route` speaks the provider's wire format. */
export async function startSearchFake<K extends string>(
  options: FakeSearchOptions,
  route: (request: RecordedRequest, context: FakeContext<K>) => FakeReply | Promise<FakeReply>,
): Promise<SearchFake<K>> {
  const failures: { kind: K; retryAfterSeconds?: number; delayMs?: number }[] = [];
  const unexpected: RecordedRequest[] = [];
  const queries: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const context: FakeContext<K> = {
    results: options.results ?? genericResults,
    queries,
    takeFailure(accepts) {
      const index = failures.findIndex((failure) => !accepts || accepts.includes(failure.kind));
      return index === -1 ? undefined : failures.splice(index, 1)[0];
    },
    reject(request, reply) {
      unexpected.push(request);
      return reply ?? { status: 404, body: { error: `fake did not expect ${request.method} ${request.url}` } };
    },
  };
  const server = await startLoopbackServer(
    async (request) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (options.latencyMs) await sleep(options.latencyMs);
        if (options.requireAuthorization && request.headers.authorization !== options.requireAuthorization) {
          return {
            status: 401,
            headers: { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="search"' },
            body: '<html><body><h1>401 Authorization Required</h1><hr>nginx</body></html>',
          };
        }
        const reply = await route(request, context);
        if (reply.delayMs) await sleep(reply.delayMs);
        return { ...reply, delayMs: undefined };
      } finally {
        inFlight -= 1;
      }
    },
    { port: options.port },
  );
  afterTest({
    check: () => expectNoneUnexpected('a search fake', unexpected, (r: RecordedRequest) => `${r.method} ${r.url}`),
    close: server.close,
  });
  return {
    url: server.url,
    requests: server.requests,
    unexpected,
    queries,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    enqueue: server.enqueue,
    enqueueFailure: (...specs) =>
      failures.push(...specs.map((spec) => (typeof spec === 'string' ? { kind: spec } : spec))),
    close: server.close,
    server,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Three plausible hits for any query, on distinct domains derived from it. */
export function genericResults(query: string): FakeSearchHit[] {
  const slug =
    query
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'query';
  return [1, 2, 3].map((n) => ({
    title: `Result ${n} for ${query}`,
    url: `https://site${n}.example.com/${slug}`,
    snippet: `Page ${n} about ${query}.`,
  }));
}

const STOPWORDS = new Set([
  'the',
  'and',
  'for',
  'with',
  'that',
  'from',
  'top',
  'best',
  'list',
  'companies',
  'company',
  'inc',
]);

/** A naive keyword search over pages: each query word found in title, snippet or URL scores one. */
export function searchCorpus(pages: readonly FakeSearchHit[]): ResultsFn {
  return (query) => {
    const words = [...new Set(query.toLowerCase().match(/[a-z0-9]{3,}/g) ?? [])].filter((word) => !STOPWORDS.has(word));
    return pages
      .map((page) => {
        const text = `${page.title} ${page.snippet} ${page.url}`.toLowerCase();
        return { page, score: words.filter((word) => text.includes(word)).length };
      })
      .filter((entry) => entry.score > 0)
      .sort((a, b) => b.score - a.score)
      .map((entry) => entry.page);
  };
}

/** A small fake web of North American dealer groups and dealer-software vendors. */
export const DEALER_GROUP_PAGES: readonly FakeSearchHit[] = [
  {
    title: "AutoNation | America's Largest Automotive Retailer",
    url: 'https://www.autonation.com/',
    snippet:
      'AutoNation, Inc. is a franchised automotive dealer group headquartered in Fort Lauderdale, Florida, with more than 300 locations across the United States.',
  },
  {
    title: 'Lithia &amp; Driveway - Investor Relations',
    url: 'https://www.lithiadriveway.com/',
    snippet:
      'Lithia Motors, headquartered in Medford, Oregon, is a franchised dealer group that keeps acquiring stores in the US, Canada and the UK.',
  },
  {
    title: 'Penske Automotive Group',
    url: 'https://www.penskeautomotive.com/',
    snippet:
      'Penske Automotive Group, based in Bloomfield Hills, Michigan, operates franchised dealerships and commercial truck dealerships (Premier Truck Group).',
  },
  {
    title: 'Group 1 Automotive',
    url: 'https://www.group1auto.com/?utm_source=fake',
    snippet:
      'Group 1 Automotive, Houston, Texas: a franchised dealer group with about 200 dealerships in the US and UK.',
  },
  {
    title: 'Sonic Automotive | EchoPark',
    url: 'https://www.sonicautomotive.com/',
    snippet:
      'Sonic Automotive, Charlotte, North Carolina, a multi-brand franchised dealer group and powersports dealer group.',
  },
  {
    title: 'Hendrick Automotive Group',
    url: 'https://www.hendrickauto.com/',
    snippet:
      'Hendrick Automotive Group, a privately held dealer group based in Charlotte, North Carolina, with about 100 franchises.',
  },
  {
    title: 'Larry H. Miller Dealerships',
    url: 'https://www.lhm.com/',
    snippet:
      'Larry H. Miller Dealerships, Sandy, Utah, a franchised dealer group with more than 60 rooftops in the western United States.',
  },
  {
    title: 'AutoCanada Inc.',
    url: 'https://www.autocan.ca/',
    snippet:
      'AutoCanada, headquartered in Edmonton, Alberta, is a multi-location franchised dealer group in Canada, recently growing through acquisitions.',
  },
  {
    title: 'Dilawri Group of Companies',
    url: 'https://www.dilawri.ca/',
    snippet:
      'Dilawri, Canada&#39;s largest automotive dealer group, based in Ontario, with more than 80 franchised dealerships.',
  },
  {
    title: 'Camping World RV Sales',
    url: 'https://www.campingworld.com/',
    snippet: 'Camping World, an RV dealer group with more than 200 locations in the United States.',
  },
  {
    title: 'CDK Global <b>DMS</b> outage hits dealerships',
    url: 'https://news.example.com/cdk-outage',
    snippet:
      'A cyber attack on CDK Global&#8217;s <b>dealer management system</b> left thousands of franchised dealerships without their DMS for weeks.',
  },
  {
    title: 'RouteOne - dealer financing platform',
    url: 'https://www.routeone.com/',
    snippet:
      'RouteOne connects dealerships with auto lenders for credit applications and e-contracting; a partner program for DMS integrations.',
  },
];
