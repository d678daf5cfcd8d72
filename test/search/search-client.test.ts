import { pino } from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RunAbortedError, SearchUnavailableError } from '../../src/errors.js';
import { createDuckDuckGoProvider } from '../../src/search/duckduckgo-provider.js';
import { createGoogleCseProvider } from '../../src/search/google-provider.js';
import { createSearchClient } from '../../src/search/search-client.js';
import { createSearxngProvider } from '../../src/search/searxng-provider.js';
import { createSerperProvider } from '../../src/search/serper-provider.js';
import { createTavilyProvider } from '../../src/search/tavily-provider.js';
import type { SearchProvider } from '../../src/search/types.js';
import { startFakeDuckDuckGo } from '../fakes/fake-duckduckgo.js';
import { startFakeGoogle } from '../fakes/fake-google.js';
import { startFakeSearxng } from '../fakes/fake-searxng.js';
import { startFakeSerper } from '../fakes/fake-serper.js';
import { startFakeTavily } from '../fakes/fake-tavily.js';
import { countingMeter, silentLogger } from './helpers.js';

beforeEach(() => vi.stubEnv('TAVILY_API_KEY', ''));

async function serperAndSearxng(options: { serperLatencyMs?: number } = {}) {
  const serper = await startFakeSerper({ latencyMs: options.serperLatencyMs });
  const searxng = await startFakeSearxng();
  const providers: SearchProvider[] = [
    createSerperProvider({ apiKey: 'serper-key', apiUrl: serper.url }),
    createSearxngProvider({ baseUrl: searxng.url }),
  ];
  return { serper, searxng, providers };
}

async function tavilyAndDuckDuckGo() {
  const tavily = await startFakeTavily();
  const ddg = await startFakeDuckDuckGo();
  const providers: SearchProvider[] = [
    createDuckDuckGoProvider({ proxy: ddg.url, timeoutMs: 2_000 }),
    createTavilyProvider({ apiBaseURL: tavily.url }),
  ];
  return { tavily, ddg, providers };
}

const fast = { duckduckgo: { concurrency: 1 }, tavily: { concurrency: 2 } };

describe('search client fallback', () => {
  it('falls through on a 429 and skips the rate-limited provider until its Retry-After has passed', async () => {
    const { serper, searxng, providers } = await serperAndSearxng();
    let clock = 1_000_000;
    const client = createSearchClient({ providers, logger: silentLogger, timeoutMs: 2_000, now: () => clock });
    serper.enqueueFailure({ kind: 'rate_limited', retryAfterSeconds: 60 });

    expect((await client.search('dealer groups', { scope: 't' })).source).toBe('searxng');
    expect((await client.search('rv dealers', { scope: 't' })).source).toBe('searxng');
    expect(serper.requests).toHaveLength(1);
    expect(searxng.requests).toHaveLength(2);

    clock += 61_000;
    expect((await client.search('truck dealers', { scope: 't' })).source).toBe('serper');
  });

  it('falls through when DuckDuckGo answers with its anomaly block and leaves it alone while it cools down', async () => {
    const { ddg, providers } = await tavilyAndDuckDuckGo();
    ddg.enqueueFailure('anomaly');
    const client = createSearchClient({ providers, logger: silentLogger, timeoutMs: 2_000, limits: fast });
    const outcome = await client.search('dealer groups', { scope: 't' });
    expect(outcome.source).toBe('tavily');
    expect(outcome.results.length).toBeGreaterThan(0);
    expect((await client.search('rv dealers', { scope: 't' })).source).toBe('tavily');
    expect(ddg.requests).toHaveLength(2);
  });

  it('says once that DuckDuckGo is blocking, not in every failure: one warning, later queries only "still blocked"', async () => {
    const ddg = await startFakeDuckDuckGo();
    const serper = await startFakeSerper();
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(String(JSON.parse(line).msg)) });
    const providers = [
      createDuckDuckGoProvider({ proxy: ddg.url, timeoutMs: 2_000 }),
      createSerperProvider({ apiKey: 'serper-key', apiUrl: serper.url }),
    ];
    const client = createSearchClient({ providers, logger, timeoutMs: 2_000, limits: fast });
    ddg.enqueueFailure('anomaly');
    serper.enqueueFailure('server_error', 'server_error', 'server_error');
    const messages: string[] = [];
    for (const query of ['dealer groups', 'rv dealers', 'truck dealers']) {
      messages.push(
        await client.search(query, { scope: 't' }).then(
          () => 'answered',
          (error: Error) => error.message,
        ),
      );
    }
    expect(messages[0]).toContain("duckduckgo: blocked by DuckDuckGo's anomaly check");
    for (const later of messages.slice(1)) {
      expect(later).toMatch(/duckduckgo: still blocked; skipped while cooling down \(retry after \d+ s\)/);
      expect(later).not.toContain('anomaly');
    }
    expect(warnings.filter((w) => /duckduckgo/.test(w))).toEqual([
      expect.stringMatching(
        /^search provider duckduckgo is blocking us: blocked by DuckDuckGo's anomaly check .*; skipping it for \d+ s/,
      ),
    ]);
    expect(ddg.requests.filter((r) => r.url.includes('d.js'))).toHaveLength(1);
  });

  it('falls through when DuckDuckGo gives no VQD token', async () => {
    const { ddg, providers } = await tavilyAndDuckDuckGo();
    ddg.enqueueFailure('vqd');
    const client = createSearchClient({ providers, logger: silentLogger, timeoutMs: 2_000, limits: fast });
    expect((await client.search('dealer groups', { scope: 't' })).source).toBe('tavily');
  });

  it('falls through on a 5xx without cooling the provider down', async () => {
    const { serper, providers } = await serperAndSearxng();
    serper.enqueueFailure('server_error');
    const client = createSearchClient({ providers, logger: silentLogger, timeoutMs: 2_000 });
    expect((await client.search('a', { scope: 't' })).source).toBe('searxng');
    expect((await client.search('b', { scope: 't' })).source).toBe('serper');
  });

  it('falls through when a provider does not answer within the timeout', async () => {
    const { serper, providers } = await serperAndSearxng();
    serper.enqueueFailure({ kind: 'slow', delayMs: 3_000 });
    const client = createSearchClient({ providers, logger: silentLogger, timeoutMs: 200 });
    const started = Date.now();
    expect((await client.search('a', { scope: 't' })).source).toBe('searxng');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('returns an empty answer from a healthy provider without trying the next one', async () => {
    const serper = await startFakeSerper({ results: () => [] });
    const searxng = await startFakeSearxng();
    const client = createSearchClient({
      providers: [
        createSerperProvider({ apiKey: 'k', apiUrl: serper.url }),
        createSearxngProvider({ baseUrl: searxng.url }),
      ],
      logger: silentLogger,
      timeoutMs: 2_000,
    });
    expect(await client.search('nothing matches', { scope: 't' })).toEqual({
      query: 'nothing matches',
      results: [],
      source: 'serper',
    });
    expect(searxng.requests).toHaveLength(0);
  });

  it('names every provider, how it failed and what to configure when all fail', async () => {
    const { tavily, ddg, providers } = await tavilyAndDuckDuckGo();
    ddg.enqueueFailure('anomaly');
    tavily.enqueueFailure({ kind: 'keyless_limit', retryAfterSeconds: 60 });
    const client = createSearchClient({ providers, logger: silentLogger, timeoutMs: 2_000, limits: fast });
    const error = await client.search('dealer groups in Ohio', { scope: 't' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SearchUnavailableError);
    const message = (error as SearchUnavailableError).message;
    expect(message).toContain('Web search failed for "dealer groups in Ohio": ');
    expect(message).toContain("duckduckgo: blocked by DuckDuckGo's anomaly check");
    expect(message).toMatch(/tavily: keyless limit reached \(hourly_cap\) \(retry after 60 s\)/);
    expect(message).toContain(
      'Set TAVILY_API_KEY, SERPER_API_KEY, GOOGLE_CSE_KEY+GOOGLE_CSE_CX or SEARXNG_URL to add a provider.',
    );
    expect((error as SearchUnavailableError).failures.map((f) => [f.provider, f.kind])).toEqual([
      ['duckduckgo', 'blocked'],
      ['tavily', 'rate_limited'],
    ]);
  });

  it('keeps the Google key out of the all-failed message', async () => {
    const key = 'AIzaSyFAKE-leaky-key-987654321';
    const google = await startFakeGoogle();
    google.enqueueFailure('echo_key');
    const client = createSearchClient({
      providers: [createGoogleCseProvider({ key, cx: 'cx', apiUrl: google.apiUrl })],
      logger: silentLogger,
      timeoutMs: 2_000,
    });
    const error = await client.search('q', { scope: 't' }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(SearchUnavailableError);
    expect((error as Error).message).toContain('google: ');
    expect((error as Error).message).not.toContain(key);
  });

  it('stops with RunAbortedError when the caller cancels', async () => {
    const { serper, providers } = await serperAndSearxng({ serperLatencyMs: 1_000 });
    const controller = new AbortController();
    const client = createSearchClient({ providers, logger: silentLogger, timeoutMs: 5_000 });
    const pending = client.search('a', { scope: 't', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(RunAbortedError);
    expect(serper.requests).toHaveLength(1);
  });
});

describe('search client limits and answers', () => {
  it('never runs more calls at once on a provider than its concurrency limit', async () => {
    const { serper, providers } = await serperAndSearxng({ serperLatencyMs: 80 });
    const client = createSearchClient({
      providers,
      logger: silentLogger,
      timeoutMs: 5_000,
      limits: { serper: { concurrency: 2 } },
    });
    const meter = countingMeter();
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((q) => client.search(q, { scope: 't', meter })));
    expect(serper.maxInFlight).toBe(2);
    expect(serper.requests).toHaveLength(6);
    expect(meter.searches).toEqual(Array(6).fill('serper'));
  });

  it('removes duplicate URLs (tracking parameters, fragments, case) within one answer', async () => {
    const serper = await startFakeSerper({
      results: () => [
        { title: 'A', url: 'https://Dealer.example.com/?utm_source=x', snippet: '' },
        { title: 'A again', url: 'https://dealer.example.com/#top', snippet: '' },
        { title: 'B', url: 'https://other.example.com/page?gclid=1', snippet: '' },
      ],
    });
    const client = createSearchClient({
      providers: [createSerperProvider({ apiKey: 'k', apiUrl: serper.url })],
      logger: silentLogger,
      timeoutMs: 2_000,
    });
    const outcome = await client.search('dealers', { scope: 't' });
    expect(outcome.results.map((r) => r.title)).toEqual(['A', 'B']);
  });
});
