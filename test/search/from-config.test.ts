import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSearchFromConfig } from '../../src/search/index.js';
import { startFakeSerper } from '../fakes/fake-serper.js';
import { DEALER_GROUP_PAGES, searchCorpus } from '../fakes/search-corpus.js';
import { memoryCache, silentLogger } from './helpers.js';

describe('createSearchFromConfig', () => {
  it('builds the chain in the configured order: configured providers, then tavily, then duckduckgo', () => {
    const config = loadConfig({ SERPER_API_KEY: 'serper-key', SEARXNG_URL: 'http://127.0.0.1:9' });
    expect(createSearchFromConfig(config, { logger: silentLogger }).providers).toEqual([
      'serper',
      'searxng',
      'tavily',
      'duckduckgo',
    ]);
  });

  it('follows SEARCH_PROVIDERS exactly when it is set', () => {
    const config = loadConfig({ SEARCH_PROVIDERS: 'duckduckgo,tavily' });
    expect(createSearchFromConfig(config, { logger: silentLogger }).providers).toEqual(['duckduckgo', 'tavily']);
  });

  it('refuses a chosen provider without its credentials at start-up, naming every variable it needs', () => {
    expect(() => loadConfig({ SEARCH_PROVIDERS: 'serper,google,searxng', GOOGLE_CSE_KEY: 'g-key' })).toThrow(
      [
        'SERPER_API_KEY: is required because SEARCH_PROVIDERS includes serper (get one at serper.dev)',
        'GOOGLE_CSE_KEY: GOOGLE_CSE_KEY and GOOGLE_CSE_CX are required because SEARCH_PROVIDERS includes google',
        'SEARXNG_URL: is required because SEARCH_PROVIDERS includes searxng',
      ].join('\n  '),
    );
  });

  it('leaves out a provider with half its credentials from the default chain, and names what it lacks when asked for it', () => {
    const config = loadConfig({ GOOGLE_CSE_KEY: 'g-key' });
    expect(createSearchFromConfig(config, { logger: silentLogger }).providers).toEqual(['tavily', 'duckduckgo']);
    const asked = { ...config, search: { ...config.search, providers: ['google' as const] } };
    expect(() => createSearchFromConfig(asked, { logger: silentLogger })).toThrow(
      'GOOGLE_CSE_KEY: GOOGLE_CSE_KEY and GOOGLE_CSE_CX are required to search with google',
    );
  });

  it('searches the shared dealer-group corpus through a configured provider', async () => {
    const serper = await startFakeSerper({ apiKey: 'serper-key', results: searchCorpus(DEALER_GROUP_PAGES) });
    const config = loadConfig({ SEARCH_PROVIDERS: 'serper', SERPER_API_KEY: 'serper-key', SERPER_API_URL: serper.url });
    const client = createSearchFromConfig(config, { logger: silentLogger, cache: memoryCache() });
    const outcome = await client.search('franchised dealer group Canada', { scope: 'cli', maxResults: 3 });
    expect(outcome.source).toBe('serper');
    expect(outcome.results).toHaveLength(3);
    expect(outcome.results.map((r) => r.url)).toContain('https://www.autocan.ca/');
  });
});
