// Wiring for the entry points: Config in, SearchClient out.
import { requireSearchCredentials, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { WorkCache } from '../store/cache.js';
import { createDuckDuckGoProvider } from './duckduckgo-provider.js';
import { createGoogleCseProvider } from './google-provider.js';
import { createSearchClient, type SearchClientOptions } from './search-client.js';
import { createSearxngProvider } from './searxng-provider.js';
import { createSerperProvider } from './serper-provider.js';
import { createTavilyProvider } from './tavily-provider.js';
import type { SearchClient, SearchProvider, SearchProviderName } from './types.js';

export { createSearchClient, DEFAULT_PROVIDER_LIMITS, type SearchClientOptions } from './search-client.js';
export { domainOf, isHttpUrl, normaliseUrl } from '../domain/url.js';
export type * from './types.js';

/** Builds the fallback chain in `config.search.providers` order. */
export function createSearchFromConfig(
  config: Config,
  deps: { cache?: WorkCache; logger: Logger } & Pick<
    Partial<SearchClientOptions>,
    'limits' | 'cooldown' | 'metrics' | 'scrub'
  >,
): SearchClient {
  const providers = config.search.providers.map((name) => createProviderFromConfig(name, config));
  return createSearchClient({
    providers,
    cache: deps.cache,
    logger: deps.logger,
    timeoutMs: config.search.timeoutMs,
    limits: deps.limits,
    cooldown: deps.cooldown,
    metrics: deps.metrics,
    scrub: deps.scrub,
  });
}

/** One provider from configuration; throws ConfigError naming the variable a provider lacks. */
export function createProviderFromConfig(name: SearchProviderName, config: Config): SearchProvider {
  const search = config.search;
  requireSearchCredentials(name, search);
  switch (name) {
    case 'tavily':
      return createTavilyProvider({
        apiKey: search.tavily.apiKey,
        apiBaseURL: search.tavily.apiUrl,
        timeoutMs: search.timeoutMs,
      });
    case 'serper':
      return createSerperProvider({
        apiKey: search.serper.apiKey ?? '',
        apiUrl: search.serper.apiUrl,
        authorization: config.endpointAuth.serper,
      });
    case 'google':
      return createGoogleCseProvider({
        key: search.google.key ?? '',
        cx: search.google.cx ?? '',
        apiUrl: search.google.apiUrl,
        authorization: config.endpointAuth.google,
      });
    case 'searxng':
      return createSearxngProvider({ baseUrl: search.searxngUrl ?? '', authorization: config.endpointAuth.searxng });
    case 'duckduckgo':
      return createDuckDuckGoProvider({ proxy: search.duckduckgoProxy, timeoutMs: search.timeoutMs });
  }
}
