import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSearchFromConfig } from '../../src/search/index.js';
import { startFakeSerper } from '../fakes/fake-serper.js';
import { DEALER_GROUP_PAGES, searchCorpus } from '../fakes/search-corpus.js';
import { memoryCache, silentLogger } from './helpers.js';

describe('createSearchFromConfig', () => {
  it('builds the chain in the configured order: configured providers, then tavily, then duckduckgo', () => {
    const config = loadConfig({ SERPER_API_KEY: 'serper-key', SEARXNG_URL: 'http://127.0.0.1:9' });
    expect(createSearchFromConfig(config, { logger: silentLogger }).providers).toEqual(['serper', 'searxng', 'tavily', 'duckduckgo']);
  });

  it('follows SEARCH_PROVIDERS exactly when it is set', () => {
    const config = loadConfig({ SEARCH_PROVIDERS: 'duckduckgo,tavily' });
    expect(createSearchFromConfig(config, { logger: silentLogger }).providers).toEqual(['duckduckgo', 'tavily']);
  });

  it('searches the shared dealer-group corpus through a configured provider', async () => {
    const serper = await startFakeSerper({ apiKey: 'serper-key', results: searchCorpus(DEALER_GROUP_PAGES) });
    try {
      const config = loadConfig({ SEARCH_PROVIDERS: 'serper', SERPER_API_KEY: 'serper-key', SERPER_API_URL: serper.url });
      const client = createSearchFromConfig(config, { logger: silentLogger, cache: memoryCache() });
      const outcome = await client.search('franchised dealer group Canada', { scope: 'cli', maxResults: 3 });
      expect(outcome.source).toBe('serper');
      expect(outcome.results).toHaveLength(3);
      expect(outcome.results.map((r) => r.url)).toContain('https://www.autocan.ca/');
    } finally {
      await serper.close();
    }
  });
});
