import type { Config } from '../config.js';
import type { AppSetup } from './deps.js';

/** How this instance is set up, in words App Home shows (no secret: a Redis password is never part of it). */
export function describeSetup(config: Config): AppSetup {
  const model =
    config.llm.provider === 'ollama'
      ? `Ollama ${config.llm.ollamaModel} at ${safeHost(config.llm.ollamaHost)}`
      : config.llm.provider === 'openai'
        ? `OpenAI-compatible ${config.llm.openaiModel ?? ''} at ${safeHost(config.llm.openaiBaseUrl)}`
        : `Hugging Face ${config.llm.hfModel}`;
  const store = /^rediss?:\/\//.test(config.cacheUrl)
    ? `Redis at ${safeHost(config.cacheUrl)}`
    : config.cacheUrl.startsWith('sqlite://')
      ? `SQLite (${config.cacheUrl.slice('sqlite://'.length)})`
      : 'in memory (nothing is kept)';
  const hubspot = config.hubspot
    ? `${safeHost(config.hubspot.apiUrl)}${config.hubspot.scoreProperty ? `, fit score in "${config.hubspot.scoreProperty}"` : ''}`
    : undefined;
  const salesforce = config.salesforce
    ? `${safeHost(config.salesforce.loginUrl)} (${config.salesforce.credentials.flow === 'jwt_bearer' ? 'JWT bearer' : 'client credentials'})`
    : undefined;
  return {
    model,
    search: [...config.search.providers],
    store,
    ...(hubspot ? { hubspot } : {}),
    ...(salesforce ? { salesforce } : {}),
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'a configured host';
  }
}
