// The one way the pipeline reads pages in full (PAGE_READER): a backend behind a cache (a day, like searches), one
// request at a time per backend's limits, a cooldown after rate limits, and failures returned as values so that a
// page that cannot be read is a warning, never a failed run. Read texts are kept by URL for later steps (`readText`).
import PQueue from 'p-queue';
import { z } from 'zod';
import type { Config } from '../config.js';
import { SingleFlight } from '../domain/single-flight.js';
import { plainPageText, plainWebText } from '../domain/text.js';
import { cancelledByAnother, describeError, RunAbortedError, SearchProviderError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { WorkCache } from '../store/cache.js';
import { createFetchReader, type FetchReaderOptions } from './fetch-reader.js';
import { htmlToText } from './html-text.js';
import type {
  PageBackend,
  PageFailureKind,
  PageReader,
  PageReadFailure,
  PageReadOutcome,
  PageReadRequest,
  ReadPage,
} from './page-types.js';
import { createTavilyReader } from './tavily-reader.js';

export type * from './page-types.js';

/** The longest text kept of one page (after cleaning); prompts quote far less of it. */
export const PAGE_TEXT_MAX = 24_000;
/** What one read may take, for all its pages together. */
export const PAGE_READ_TIMEOUT_MS = 8_000;
const COOLDOWN_MS = 60_000;

const readPageSchema: z.ZodType<ReadPage> = z.object({
  url: z.string(),
  title: z.string(),
  text: z.string(),
  reader: z.enum(['tavily', 'fetch']),
});

export interface PageReaderOptions {
  backend: PageBackend | undefined;
  cache: WorkCache;
  logger: Logger;
  timeoutMs?: number;
  now?: () => number;
}

/** Builds the reader every agent uses; with no backend (PAGE_READER=none) it reads nothing and says so once. */
export function createPageReader(options: PageReaderOptions): PageReader {
  const { backend, cache } = options;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? PAGE_READ_TIMEOUT_MS;
  const queue = new PQueue({ concurrency: 2 });
  const flights = new SingleFlight();
  let coolUntil = 0;
  let coolReason = '';
  const keyOf = (scope: string, url: string) => cache.key(scope, 'page', url);

  async function fetchMisses(urls: string[], request: PageReadRequest): Promise<PageReadOutcome> {
    if (!backend) return { pages: [], failures: [] };
    if (coolUntil > now()) {
      const seconds = Math.ceil((coolUntil - now()) / 1000);
      return {
        pages: [],
        failures: urls.map((url) => failure(url, 'rate_limited', `${coolReason}; skipped for ${seconds} s`)),
      };
    }
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    try {
      const answer = await queue.add(() => backend.read(urls, signal), { signal: request.signal });
      const pages: ReadPage[] = [];
      const failures = [...answer.failures];
      for (const raw of answer.pages) {
        // A reader's "text" can still be markup (a site that serves HTML as text): scripts and hidden parts go too.
        const text = plainPageText(looksLikeHtml(raw.text) ? htmlToText(raw.text).text : raw.text, PAGE_TEXT_MAX);
        if (text === '') {
          failures.push(failure(raw.url, 'empty', 'has no readable text'));
          continue;
        }
        const page: ReadPage = { url: raw.url, title: plainWebText(raw.title, 300), text, reader: backend.name };
        pages.push(page);
        request.meter?.pageRead?.(backend.name);
        await cache.set(keyOf(request.scope, raw.url), page, 'page');
      }
      if (failures.some((f) => f.kind === 'rate_limited')) cool('rate limited', COOLDOWN_MS);
      return { pages, failures };
    } catch (error) {
      if (request.signal?.aborted) throw new RunAbortedError('Page reading cancelled');
      const kind = kindOf(error, deadline.aborted);
      const reason = deadline.aborted ? `not read within ${timeoutMs / 1000} s` : describeError(error);
      if (error instanceof SearchProviderError && error.kind === 'rate_limited')
        cool(error.message, error.retryAfterMs ?? COOLDOWN_MS);
      return { pages: [], failures: urls.map((url) => failure(url, kind, reason)) };
    }
  }

  function cool(reason: string, ms: number): void {
    coolUntil = now() + ms;
    coolReason = `${backend?.name ?? 'reader'} ${reason.replace(/ \(retry after \d+ s\)/, '')}`;
  }

  return {
    name: backend?.name ?? 'none',
    async read(urls, request) {
      const wanted = [...new Set(urls)];
      const pages: ReadPage[] = [];
      const misses: string[] = [];
      const cached = await Promise.all(
        wanted.map((url) => (request.fresh ? undefined : cache.get(keyOf(request.scope, url), readPageSchema))),
      );
      wanted.forEach((url, i) => {
        const hit = cached[i];
        if (hit) {
          pages.push(hit);
          request.meter?.cacheHit('page');
        } else misses.push(url);
      });
      if (misses.length === 0 || !backend) return { pages, failures: [] };
      // The same pages asked for at the same time (two people, one request) are read once.
      const key = `${request.fresh ? 'fresh' : 'any'}\n${request.scope}\n${[...misses].sort().join('\n')}`;
      const shared = () => flights.run(key, () => fetchMisses(misses, request));
      // Work shared with a run that was then cancelled is done again for this one.
      const fetched = await shared().catch((error: unknown) => {
        if (!cancelledByAnother(error, request.signal)) throw error;
        return fetchMisses(misses, request);
      });
      for (const failed of fetched.failures)
        (request.logger ?? options.logger).warn(
          { reader: backend.name, url: failed.url, kind: failed.kind },
          `page not read: ${failed.reason}`,
        );
      return { pages: [...pages, ...fetched.pages], failures: fetched.failures };
    },
    async readText(url, scope) {
      return cache.get(keyOf(scope, url), readPageSchema);
    },
  };
}

const HTML_TAG = /<(?:html|head|body|script|style|div|span|p|table|ul|ol|li|a|template|noscript|iframe)\b/i;

/** True when text carries HTML elements (one regex pass without nested quantifiers). */
function looksLikeHtml(text: string): boolean {
  return HTML_TAG.test(text.length > 200_000 ? text.slice(0, 200_000) : text);
}

function failure(url: string, kind: PageFailureKind, reason: string): PageReadFailure {
  return { url, kind, reason };
}

function kindOf(error: unknown, timedOut: boolean): PageFailureKind {
  if (timedOut) return 'timeout';
  if (error instanceof SearchProviderError) {
    if (error.kind === 'rate_limited') return 'rate_limited';
    if (error.kind === 'timeout') return 'timeout';
    if (error.kind === 'blocked') return 'blocked';
  }
  return 'failed';
}

/** The reader PAGE_READER names; `fetch` takes test-only options from the wiring's caller, never from Config. */
export function createPageReaderFromConfig(
  config: Config,
  deps: {
    cache: WorkCache;
    logger: Logger;
    fetch?: Pick<FetchReaderOptions, 'testOnlyAllowedAddresses' | 'testOnlyResolve'>;
  },
): PageReader {
  const timeoutMs = PAGE_READ_TIMEOUT_MS;
  const backend =
    config.pageReader === 'tavily'
      ? createTavilyReader({
          apiKey: config.search.tavily.apiKey,
          apiBaseURL: config.search.tavily.apiUrl,
          timeoutMs,
        })
      : config.pageReader === 'fetch'
        ? createFetchReader({ timeoutMs, ...deps.fetch })
        : undefined;
  return createPageReader({ backend, cache: deps.cache, logger: deps.logger, timeoutMs });
}
