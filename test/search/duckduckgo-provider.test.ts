import { beforeEach, describe, expect, it } from 'vitest';
import { SearchProviderError } from '../../src/errors.js';
import { createDuckDuckGoProvider } from '../../src/search/duckduckgo-provider.js';
import { startFakeDuckDuckGo } from '../fakes/fake-duckduckgo.js';
import { CLEAN_EXPECTED, MESSY_HITS, signal } from './helpers.js';

type Fake = Awaited<ReturnType<typeof startFakeDuckDuckGo>>;
let fake: Fake;
let hits = MESSY_HITS;

beforeEach(async () => {
  hits = MESSY_HITS;
  fake = await startFakeDuckDuckGo({ results: () => hits });
});

async function failureOf(work: Promise<unknown>): Promise<SearchProviderError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SearchProviderError);
  return error as SearchProviderError;
}

describe('duckduckgo provider', () => {
  it('gets a VQD token, then the results script, through the proxy and returns cleaned http results only', async () => {
    const provider = createDuckDuckGoProvider({ proxy: fake.url, timeoutMs: 2_000 });
    const results = await provider.search('dealer groups', { maxResults: 10, signal: signal() });
    expect(results).toEqual(CLEAN_EXPECTED.map((hit) => ({ ...hit, provider: 'duckduckgo' })));
    expect(fake.requests.map((request) => new URL(request.url).hostname)).toEqual([
      'duckduckgo.com',
      'links.duckduckgo.com',
    ]);
    expect(fake.requests[1]?.query.get('ex')).toBe('-1');
    expect(fake.unexpected).toEqual([]);
  });

  it('returns an empty list when DuckDuckGo has no results', async () => {
    hits = [];
    const provider = createDuckDuckGoProvider({ proxy: fake.url, timeoutMs: 2_000 });
    expect(await provider.search('zzqx no such thing', { maxResults: 10, signal: signal() })).toEqual([]);
  });

  it('reports the anomaly page as blocked, not as no results', async () => {
    fake.enqueueFailure('anomaly');
    const provider = createDuckDuckGoProvider({ proxy: fake.url, timeoutMs: 2_000 });
    const error = await failureOf(provider.search('dealer groups', { maxResults: 10, signal: signal() }));
    expect(error.kind).toBe('blocked');
    expect(error.message).toContain('anomaly');
  });

  it('reports a missing VQD token as blocked', async () => {
    fake.enqueueFailure('vqd');
    const provider = createDuckDuckGoProvider({ proxy: fake.url, timeoutMs: 2_000 });
    const error = await failureOf(provider.search('dealer groups', { maxResults: 10, signal: signal() }));
    expect(error.kind).toBe('blocked');
    expect(error.message).toContain('VQD');
  });

  it('reports an unreadable page as bad_response and is506 as server_error', async () => {
    fake.enqueueFailure('bad_page', 'server_error');
    const provider = createDuckDuckGoProvider({ proxy: fake.url, timeoutMs: 2_000 });
    expect((await failureOf(provider.search('a', { maxResults: 10, signal: signal() }))).kind).toBe('bad_response');
    expect((await failureOf(provider.search('b', { maxResults: 10, signal: signal() }))).kind).toBe('server_error');
  });

  it('reports a slow answer as timeout when the signal fires', async () => {
    fake.enqueueFailure({ kind: 'slow', delayMs: 2_000 });
    const provider = createDuckDuckGoProvider({ proxy: fake.url, timeoutMs: 5_000 });
    const error = await failureOf(
      provider.search('dealer groups', { maxResults: 10, signal: AbortSignal.timeout(150) }),
    );
    expect(error.kind).toBe('timeout');
  });
});
