import { describe, expect, it } from 'vitest';
import { SearchProviderError } from '../../src/errors.js';
import { createGoogleCseProvider } from '../../src/search/google-provider.js';
import { createSearxngProvider } from '../../src/search/searxng-provider.js';
import { createSerperProvider } from '../../src/search/serper-provider.js';
import { startFakeGoogle } from '../fakes/fake-google.js';
import { startFakeSearxng } from '../fakes/fake-searxng.js';
import { startFakeSerper } from '../fakes/fake-serper.js';
import { CLEAN_EXPECTED, MESSY_HITS, signal } from './helpers.js';

async function failureOf(work: Promise<unknown>): Promise<SearchProviderError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SearchProviderError);
  return error as SearchProviderError;
}

describe('serper provider', () => {
  async function setup() {
    const fake = await startFakeSerper({ apiKey: 'serper-key-123', results: () => MESSY_HITS });
    return { fake, provider: createSerperProvider({ apiKey: 'serper-key-123', apiUrl: fake.url }) };
  }

  it('posts q and num with the key header and returns cleaned http results only', async () => {
    const { fake, provider } = await setup();
    const results = await provider.search('dealer groups', { maxResults: 7, signal: signal() });
    expect(results).toEqual(CLEAN_EXPECTED.map((hit) => ({ ...hit, provider: 'serper' })));
    expect(fake.requests[0]?.headers['x-api-key']).toBe('serper-key-123');
    expect(fake.requests[0]?.body).toEqual({ q: 'dealer groups', num: 7 });
    expect(fake.unexpected).toEqual([]);
  });

  it('reports a 429 as rate_limited with the Retry-After delay', async () => {
    const { fake, provider } = await setup();
    fake.enqueueFailure({ kind: 'rate_limited', retryAfterSeconds: 42 });
    const error = await failureOf(provider.search('q', { maxResults: 5, signal: signal() }));
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 42_000 });
  });

  it('reports a rejected key as auth and names SERPER_API_KEY', async () => {
    const fake = await startFakeSerper({ apiKey: 'right-key' });
    const provider = createSerperProvider({ apiKey: 'wrong-key', apiUrl: fake.url });
    const error = await failureOf(provider.search('q', { maxResults: 5, signal: signal() }));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('SERPER_API_KEY');
  });

  it('reports a 5xx as server_error and unreadable JSON as bad_response', async () => {
    const { fake, provider } = await setup();
    fake.enqueueFailure('server_error', 'bad_json');
    expect((await failureOf(provider.search('q', { maxResults: 5, signal: signal() }))).kind).toBe('server_error');
    expect((await failureOf(provider.search('q', { maxResults: 5, signal: signal() }))).kind).toBe('bad_response');
  });
});

describe('google provider', () => {
  const key = 'AIzaSyFAKE-google-key-0123456789';

  async function setup() {
    const fake = await startFakeGoogle({ key, cx: 'cx-1', results: () => MESSY_HITS });
    return { fake, provider: createGoogleCseProvider({ key, cx: 'cx-1', apiUrl: fake.apiUrl }) };
  }

  it('sends key, cx, q and num capped at 10 and returns cleaned http results only', async () => {
    const { fake, provider } = await setup();
    const results = await provider.search('dealer groups', { maxResults: 20, signal: signal() });
    expect(results).toEqual(CLEAN_EXPECTED.map((hit) => ({ ...hit, provider: 'google' })));
    const query = fake.requests[0]?.query;
    expect([query?.get('key'), query?.get('cx'), query?.get('q'), query?.get('num')]).toEqual([
      key,
      'cx-1',
      'dealer groups',
      '10',
    ]);
    expect(fake.unexpected).toEqual([]);
  });

  it('returns an empty list when Google answers without items', async () => {
    const fake = await startFakeGoogle({ results: () => [] });
    const provider = createGoogleCseProvider({ key, cx: 'cx-1', apiUrl: fake.apiUrl });
    expect(await provider.search('nothing', { maxResults: 5, signal: signal() })).toEqual([]);
  });

  it('never puts the key in an error message, even when Google echoes the URL', async () => {
    const { fake, provider } = await setup();
    fake.enqueueFailure('echo_key');
    const error = await failureOf(provider.search('q', { maxResults: 5, signal: signal() }));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('[REDACTED]');
    expect(error.message).not.toContain(key);
    expect(JSON.stringify(error)).not.toContain(key);
    expect(error.cause).toBeUndefined();
  });

  it('maps quota errors to rate_limited and an invalid key to auth', async () => {
    const { fake, provider } = await setup();
    fake.enqueueFailure({ kind: 'rate_limited', retryAfterSeconds: 5 }, 'daily_limit', 'invalid_key');
    expect(await failureOf(provider.search('q', { maxResults: 5, signal: signal() }))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 5_000,
    });
    expect((await failureOf(provider.search('q', { maxResults: 5, signal: signal() }))).kind).toBe('rate_limited');
    const auth = await failureOf(provider.search('q', { maxResults: 5, signal: signal() }));
    expect(auth.kind).toBe('auth');
    expect(auth.message).toContain('GOOGLE_CSE_KEY');
  });
});

describe('searxng provider', () => {
  it('asks for format=json and returns cleaned http results only', async () => {
    const fake = await startFakeSearxng({ results: () => MESSY_HITS });
    const provider = createSearxngProvider({ baseUrl: `${fake.url}/` });
    const results = await provider.search('dealer groups', { maxResults: 10, signal: signal() });
    expect(results).toEqual(CLEAN_EXPECTED.map((hit) => ({ ...hit, provider: 'searxng' })));
    expect(fake.requests[0]?.path).toBe('/search');
    expect(fake.requests[0]?.query.get('format')).toBe('json');
  });

  it('explains that a 403 means the JSON format is disabled in settings.yml', async () => {
    const fake = await startFakeSearxng({ jsonDisabled: true });
    const provider = createSearxngProvider({ baseUrl: fake.url });
    const error = await failureOf(provider.search('q', { maxResults: 5, signal: signal() }));
    expect(error.kind).toBe('not_configured');
    expect(error.message).toContain('enable `json` under search.formats in settings.yml');
  });

  it('reports an unreachable instance as network', async () => {
    const fake = await startFakeSearxng();
    await fake.close();
    const provider = createSearxngProvider({ baseUrl: fake.url });
    expect((await failureOf(provider.search('q', { maxResults: 5, signal: signal() }))).kind).toBe('network');
  });
});
