import { beforeEach, describe, expect, it } from 'vitest';
import { SearchUnavailableError } from '../../src/errors.js';
import { createSearchClient } from '../../src/search/search-client.js';
import { createSerperProvider } from '../../src/search/serper-provider.js';
import { startFakeSerper } from '../fakes/fake-serper.js';
import type { FakeSearchHit } from '../fakes/search-corpus.js';
import { countingMeter, memoryCache, silentLogger } from './helpers.js';

type Fake = Awaited<ReturnType<typeof startFakeSerper>>;
let serper: Fake;
let hits: FakeSearchHit[] | undefined;

beforeEach(async () => {
  hits = undefined;
  serper = await startFakeSerper({
    latencyMs: 50,
    results: (q) => hits ?? [{ title: q, url: `https://x.example.com/${q.length}`, snippet: '' }],
  });
});

function client(withCache = true) {
  return createSearchClient({
    providers: [createSerperProvider({ apiKey: 'k', apiUrl: serper.url })],
    cache: withCache ? memoryCache() : undefined,
    logger: silentLogger,
    timeoutMs: 2_000,
  });
}

describe('search cache', () => {
  it('answers a repeated query from the cache without an HTTP request and counts a cache hit', async () => {
    const search = client();
    const meter = countingMeter();
    const first = await search.search('Dealer groups Ohio', { scope: 'T1', meter });
    const second = await search.search('  dealer   GROUPS ohio ', { scope: 'T1', meter });
    expect(first.source).toBe('serper');
    expect(second.source).toBe('cache');
    expect(second.results).toEqual(first.results);
    expect(serper.requests).toHaveLength(1);
    expect(meter.searches).toEqual(['serper']);
    expect(meter.cacheHits).toEqual(['search']);
  });

  it('keys the cache by scope and result count, not only the query', async () => {
    const search = client();
    await search.search('dealers', { scope: 'T1' });
    await search.search('dealers', { scope: 'T2' });
    await search.search('dealers', { scope: 'T1', maxResults: 5 });
    expect(serper.requests).toHaveLength(3);
  });

  it('skips the cache read when fresh is set and stores the new answer', async () => {
    const search = client();
    await search.search('dealers', { scope: 'T1' });
    hits = [{ title: 'New', url: 'https://new.example.com', snippet: '' }];
    const fresh = await search.search('dealers', { scope: 'T1', fresh: true });
    expect(fresh.source).toBe('serper');
    expect(fresh.results[0]?.title).toBe('New');
    expect((await search.search('dealers', { scope: 'T1' })).results[0]?.title).toBe('New');
    expect(serper.requests).toHaveLength(2);
  });

  it('caches an empty answer but not a failure', async () => {
    const search = client();
    hits = [];
    await search.search('nothing', { scope: 'T1' });
    expect((await search.search('nothing', { scope: 'T1' })).source).toBe('cache');

    serper.enqueueFailure('server_error');
    await expect(search.search('flaky', { scope: 'T1' })).rejects.toBeInstanceOf(SearchUnavailableError);
    hits = undefined;
    expect((await search.search('flaky', { scope: 'T1' })).source).toBe('serper');
    expect(serper.requests).toHaveLength(3);
  });

  it('sends one HTTP request for two identical queries asked at the same time', async () => {
    const search = client();
    const [a, b] = await Promise.all([
      search.search('dealers', { scope: 'T1' }),
      search.search('dealers', { scope: 'T1' }),
    ]);
    expect(a.results).toEqual(b.results);
    expect(serper.requests).toHaveLength(1);
  });

  it('shares one HTTP request between identical concurrent queries even without a cache', async () => {
    const search = client(false);
    await Promise.all([search.search('dealers', { scope: 'T1' }), search.search('dealers', { scope: 'T1' })]);
    expect(serper.requests).toHaveLength(1);
    await search.search('dealers', { scope: 'T1' });
    expect(serper.requests).toHaveLength(2);
  });
});
