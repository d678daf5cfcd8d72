// The one way the pipeline searches the web: a provider fallback chain with per-provider limits, cooldowns, a cache and single-flight.
import PQueue from 'p-queue';
import { z } from 'zod';
import { SEARCH_PROVIDER_NAMES } from '../config.js';
import {
  cancelledByAnother,
  RunAbortedError,
  SearchProviderError,
  SearchUnavailableError,
  describeError,
} from '../errors.js';
import { searchCredentialHint } from '../config.js';
import type { Logger } from '../logger.js';
import { disabledMetrics, type Metrics, type SearchOutcomeLabel } from '../metrics/metrics.js';
import type { WorkCache } from '../store/cache.js';
import type {
  ProviderLimits,
  SearchClient,
  SearchOutcome,
  SearchProvider,
  SearchProviderName,
  SearchRequest,
  SearchResult,
} from './types.js';
import { SingleFlight } from '../domain/single-flight.js';
import { normaliseUrl } from '../domain/url.js';
import { collapseWhitespace, truncate } from '../domain/text.js';

export interface SearchClientOptions {
  /** Tried in this order; the first healthy answer wins. */
  providers: SearchProvider[];
  cache?: WorkCache;
  logger: Logger;
  /** Per provider call, counted from when the call starts (not while it waits in its queue). */
  timeoutMs: number;
  /** Overrides both these defaults and what a provider suggests. */
  limits?: Partial<Record<SearchProviderName, ProviderLimits>>;
  /** Cooldown after rate_limited/blocked without a Retry-After: baseMs, doubling per strike up to maxMs. */
  cooldown?: { baseMs?: number; maxMs?: number };
  /** Clock, for tests. */
  now?: () => number;
  /** Counts every provider request by provider and outcome. */
  metrics?: Pick<Metrics, 'searchRequest'>;
  /** Removes the app's own secrets from web text as it comes in, so every later step sees the same text. */
  scrub?: (text: string) => string;
}

/** Sensible limits when neither the provider nor the caller says otherwise. */
export const DEFAULT_PROVIDER_LIMITS: Record<SearchProviderName, ProviderLimits> = {
  duckduckgo: { concurrency: 1, intervalCap: 1, intervalMs: 1500 },
  tavily: { concurrency: 2, intervalCap: 2, intervalMs: 1000 },
  serper: { concurrency: 5 },
  google: { concurrency: 5, intervalCap: 10, intervalMs: 1000 },
  searxng: { concurrency: 5 },
};

const DEFAULT_MAX_RESULTS = 10;
const MAX_RESULTS_CAP = 20;

/** Providers a user can add with a key or URL, in the order the hint names them. */
const ADDABLE: readonly SearchProviderName[] = ['tavily', 'serper', 'google', 'searxng'];

interface Lane {
  provider: SearchProvider;
  queue: PQueue;
  coolUntil: number;
  strikes: number;
  coolReason?: SearchProviderError;
  /** The block was reported (one warning); later failures only say "still blocked" until the provider answers again. */
  blockReported: boolean;
}

interface Answer {
  provider: SearchProviderName;
  results: SearchResult[];
}

const providerName = z.enum(SEARCH_PROVIDER_NAMES);
// What the search cache holds; an entry of another shape is a miss, not a crash.
const answerSchema: z.ZodType<Answer> = z.object({
  provider: providerName,
  results: z.array(z.object({ title: z.string(), url: z.string(), snippet: z.string(), provider: providerName })),
});

/** Builds the SearchClient every agent uses. */
export function createSearchClient(options: SearchClientOptions): SearchClient {
  const now = options.now ?? Date.now;
  const baseMs = options.cooldown?.baseMs ?? 30_000;
  const maxMs = options.cooldown?.maxMs ?? 10 * 60_000;
  const metrics = options.metrics ?? disabledMetrics();
  const lanes: Lane[] = options.providers.map((provider) => {
    const limits = options.limits?.[provider.name] ?? provider.limits ?? DEFAULT_PROVIDER_LIMITS[provider.name];
    const queue = new PQueue({
      concurrency: limits.concurrency,
      ...(limits.intervalCap && limits.intervalMs
        ? { intervalCap: limits.intervalCap, interval: limits.intervalMs }
        : {}),
    });
    return { provider, queue, coolUntil: 0, strikes: 0, blockReported: false };
  });
  const flights = new SingleFlight();
  const scrub = options.scrub ?? ((text: string) => text);
  // A page that quotes one of the app's secrets is cleaned here, once, before the cache, grounding or a prompt sees
  // it, so the name the model answers with is the name grounding finds in the results.
  const scrubResult = (result: SearchResult): SearchResult => ({
    ...result,
    title: scrub(result.title),
    url: scrub(result.url),
    snippet: scrub(result.snippet),
  });

  async function callProvider(
    lane: Lane,
    query: string,
    maxResults: number,
    request: SearchRequest,
  ): Promise<SearchResult[]> {
    const name = lane.provider.name;
    const cooling = coolingError(lane, now());
    if (cooling) throw cooling;
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    request.meter?.search(name);
    const seconds = Math.round(options.timeoutMs / 100) / 10;
    try {
      const results = await raceSignal(
        lane.provider.search(query, { maxResults, signal }),
        signal,
        () => new SearchProviderError(name, 'timeout', `did not answer within ${seconds} s`),
      );
      metrics.searchRequest(name, results.length === 0 ? 'empty' : 'ok');
      return results;
    } catch (error) {
      // A search the run itself cancelled says nothing about the provider.
      if (!request.signal?.aborted) metrics.searchRequest(name, outcomeOf(error));
      throw error;
    }
  }

  function noteFailure(lane: Lane, failure: SearchProviderError): void {
    if (failure.kind === 'rate_limited' || failure.kind === 'blocked') {
      const backoff = Math.min(maxMs, baseMs * 2 ** lane.strikes);
      lane.strikes += 1;
      lane.coolUntil = now() + (failure.retryAfterMs ?? backoff);
      lane.coolReason = failure;
      if (failure.kind === 'blocked') reportBlockOnce(lane, failure);
    } else if (failure.kind === 'auth' || failure.kind === 'not_configured') {
      lane.coolUntil = now() + maxMs;
      lane.coolReason = failure;
    }
  }

  async function runChain(query: string, maxResults: number, request: SearchRequest): Promise<Answer> {
    const failures: SearchProviderError[] = [];
    for (const lane of lanes) {
      if (request.signal?.aborted) throw new RunAbortedError('Search cancelled');
      const cooling = coolingError(lane, now());
      if (cooling) {
        failures.push(cooling);
        continue;
      }
      try {
        const results = await lane.queue.add(() => callProvider(lane, query, maxResults, request), {
          signal: request.signal,
        });
        lane.strikes = 0;
        lane.blockReported = false;
        return { provider: lane.provider.name, results: dedupeByUrl(results.map(scrubResult), maxResults) };
      } catch (error) {
        if (request.signal?.aborted) throw new RunAbortedError('Search cancelled');
        const failure =
          error instanceof SearchProviderError
            ? error
            : new SearchProviderError(
                lane.provider.name,
                'bad_response',
                `failed unexpectedly: ${describeError(error)}`,
                undefined,
                { cause: error },
              );
        failures.push(failure);
        // A skip while cooling down was already reported when the provider failed; a block is reported once.
        if (COOLING.has(failure)) continue;
        noteFailure(lane, failure);
        if (failure.kind !== 'blocked')
          (request.logger ?? options.logger).warn(
            { provider: failure.provider, kind: failure.kind, query },
            `search provider failed: ${failure.message}`,
          );
      }
    }
    throw new SearchUnavailableError(unavailableMessage(query, failures, options.providers), failures);
  }

  /** One warning per block, not one per query: DuckDuckGo often blocks scrapers for minutes at a time. */
  function reportBlockOnce(lane: Lane, failure: SearchProviderError): void {
    if (lane.blockReported) return;
    lane.blockReported = true;
    const seconds = Math.ceil((lane.coolUntil - now()) / 1000);
    options.logger.warn(
      { provider: failure.provider, kind: failure.kind, retryInSeconds: seconds },
      `search provider ${failure.provider} is blocking us: ${failure.message}; skipping it for ${seconds} s and reporting it only once`,
    );
  }

  return {
    providers: options.providers.map((provider) => provider.name),
    async search(query: string, request: SearchRequest): Promise<SearchOutcome> {
      const text = collapseWhitespace(query);
      if (text === '') throw new TypeError('Web search needs a non-empty query');
      const maxResults = Math.min(Math.max(Math.trunc(request.maxResults ?? DEFAULT_MAX_RESULTS), 1), MAX_RESULTS_CAP);
      const run = () => runChain(text, maxResults, request);
      // Identical queries share one search; if the caller that started it is cancelled, this one searches itself.
      const unlessCancelledByAnother = (shared: () => Promise<Answer>) =>
        shared().catch((error: unknown) => {
          if (!cancelledByAnother(error, request.signal)) throw error;
          return shared();
        });
      if (!options.cache) {
        const flightKey = `${request.fresh ? 'fresh' : 'any'}\n${request.scope}\n${text.toLowerCase()}\n${maxResults}`;
        const answer = await unlessCancelledByAnother(() => flights.run(flightKey, run));
        return { query: text, results: answer.results, source: answer.provider };
      }
      let fromCache = false;
      const key = options.cache.key(request.scope, 'search', text.toLowerCase(), maxResults);
      const cache = options.cache;
      const answer = await unlessCancelledByAnother(() =>
        cache.getOrCompute<Answer>(
          key,
          'search',
          {
            schema: answerSchema,
            fresh: request.fresh,
            onHit: () => {
              fromCache = true;
              request.meter?.cacheHit('search');
            },
          },
          run,
        ),
      );
      return { query: text, results: answer.results, source: fromCache ? 'cache' : answer.provider };
    },
  };
}

function outcomeOf(error: unknown): SearchOutcomeLabel {
  if (!(error instanceof SearchProviderError)) return 'error';
  if (error.kind === 'rate_limited' || error.kind === 'blocked' || error.kind === 'timeout') return error.kind;
  return 'error';
}

/** Skips made while a provider cools down; they report its last failure but do not extend the cooldown. */
const COOLING = new WeakSet<SearchProviderError>();

function coolingError(lane: Lane, at: number): SearchProviderError | undefined {
  if (lane.coolUntil <= at || !lane.coolReason) return undefined;
  const left = lane.coolUntil - at;
  // The block itself was described once (in the first failure and one warning); skips only say it goes on.
  const reason = lane.blockReported ? 'still blocked' : lane.coolReason.message.replace(/ \(retry after \d+ s\)/, '');
  const error = new SearchProviderError(
    lane.provider.name,
    lane.coolReason.kind,
    `${reason}; skipped while cooling down (retry after ${Math.ceil(left / 1000)} s)`,
    left,
  );
  COOLING.add(error);
  return error;
}

function dedupeByUrl(results: readonly SearchResult[], maxResults: number): SearchResult[] {
  const seen = new Set<string>();
  const unique: SearchResult[] = [];
  for (const result of results) {
    const key = normaliseUrl(result.url);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(result);
    if (unique.length >= maxResults) break;
  }
  return unique;
}

function raceSignal<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const listener = () => reject(onAbort());
    signal.addEventListener('abort', listener, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', listener));
  });
}

/** "Web search failed for "q": tavily: rate limited (retry after 60 s); … Set … to add a provider." */
export function unavailableMessage(
  query: string,
  failures: readonly SearchProviderError[],
  providers: readonly SearchProvider[],
): string {
  const shown = truncate(query, 120);
  const reasons = failures.map((failure) => `${failure.provider}: ${failure.message}`).join('; ');
  const missing = ADDABLE.filter(
    (name) => !providers.some((provider) => provider.name === name && !provider.keyless),
  ).map((name) => searchCredentialHint(name, '+'));
  const hint =
    missing.length === 0
      ? "Check the providers' keys and quotas, or try again later."
      : `Set ${missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} or ${missing[missing.length - 1]}`} to add a provider.`;
  return `Web search failed for "${shown}": ${reasons || 'no search provider is configured'}. ${hint}`;
}
