import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SearchProviderError } from '../../src/errors.js';
import { createTavilyProvider } from '../../src/search/tavily-provider.js';
import { startFakeTavily } from '../fakes/fake-tavily.js';
import { CLEAN_EXPECTED, MESSY_HITS, signal } from './helpers.js';

type Fake = Awaited<ReturnType<typeof startFakeTavily>>;
let fake: Fake;

beforeEach(async () => {
  // @tavily/core falls back to these variables; keyless tests must not pick up a developer's real key.
  vi.stubEnv('TAVILY_API_KEY', '');
  vi.stubEnv('TAVILY_HTTP_PROXY', '');
  vi.stubEnv('TAVILY_HTTPS_PROXY', '');
  fake = await startFakeTavily({ apiKey: 'tvly-test-key', results: () => MESSY_HITS });
});

async function failureOf(work: Promise<unknown>): Promise<SearchProviderError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SearchProviderError);
  return error as SearchProviderError;
}

describe('tavily provider', () => {
  it('searches keyless without an Authorization header and with the keyless access mode', async () => {
    const provider = createTavilyProvider({ apiBaseURL: fake.url });
    expect(provider.keyless).toBe(true);
    const results = await provider.search('dealer groups', { maxResults: 5, signal: signal() });
    expect(results).toEqual(CLEAN_EXPECTED.map((hit) => ({ ...hit, provider: 'tavily' })));
    const headers = fake.requests[0]?.headers;
    expect(headers?.authorization).toBeUndefined();
    expect(headers?.['x-tavily-access-mode']).toBe('keyless');
    expect(fake.requests[0]?.body).toMatchObject({ query: 'dealer groups', max_results: 5 });
  });

  it('sends the key as a Bearer token and no keyless header when keyed', async () => {
    const provider = createTavilyProvider({ apiKey: 'tvly-test-key', apiBaseURL: fake.url });
    expect(provider.keyless).toBe(false);
    await provider.search('dealer groups', { maxResults: 5, signal: signal() });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer tvly-test-key');
    expect(fake.requests[0]?.headers['x-tavily-access-mode']).toBeUndefined();
  });

  it('turns the keyless limit envelope into rate_limited with its retry delay', async () => {
    fake.enqueueFailure({ kind: 'keyless_limit', retryAfterSeconds: 90 });
    const error = await failureOf(
      createTavilyProvider({ apiBaseURL: fake.url }).search('q', { maxResults: 5, signal: signal() }),
    );
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 90_000 });
    expect(error.message).toContain('retry after 90 s');
  });

  it('maps 429, 401 and 500 answers to rate_limited, auth and server_error', async () => {
    const provider = createTavilyProvider({ apiKey: 'tvly-test-key', apiBaseURL: fake.url });
    fake.enqueueFailure('rate_limited', 'unauthorized', 'server_error');
    const kinds: string[] = [];
    for (let i = 0; i < 3; i++)
      kinds.push((await failureOf(provider.search('q', { maxResults: 5, signal: signal() }))).kind);
    expect(kinds).toEqual(['rate_limited', 'auth', 'server_error']);
  });

  it('names TAVILY_API_KEY when the key is rejected', async () => {
    const provider = createTavilyProvider({ apiKey: 'tvly-wrong', apiBaseURL: fake.url });
    const error = await failureOf(provider.search('q', { maxResults: 5, signal: signal() }));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('TAVILY_API_KEY');
  });

  it('reports a slow answer as timeout when the signal fires', async () => {
    fake.enqueueFailure({ kind: 'slow', delayMs: 2_000 });
    const provider = createTavilyProvider({ apiBaseURL: fake.url });
    const error = await failureOf(provider.search('q', { maxResults: 5, signal: AbortSignal.timeout(100) }));
    expect(error.kind).toBe('timeout');
  });
});
