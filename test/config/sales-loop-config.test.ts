import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createScrubber, secretsOf } from '../../src/secrets.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('configuration of the sales loop', () => {
  it('offers HubSpot only with a token, keeps it secret, and points the client at HUBSPOT_API_URL', () => {
    expect(loadConfig({}).hubspot).toBeUndefined();
    const config = loadConfig({
      HUBSPOT_TOKEN: 'pat-na1-0123456789abcdef',
      HUBSPOT_API_URL: 'http://127.0.0.1:9999/',
      HUBSPOT_SCORE_PROPERTY: 'leads_fit_score',
    });
    expect(config.hubspot).toEqual({
      token: 'pat-na1-0123456789abcdef',
      apiUrl: 'http://127.0.0.1:9999',
      scoreProperty: 'leads_fit_score',
    });
    expect(createScrubber(secretsOf(config))('token pat-na1-0123456789abcdef')).toBe('token [REDACTED]');
  });

  it('names a bad time zone or property name, and never echoes the HubSpot token', () => {
    const message = problemsOf({
      SCHEDULE_TIMEZONE: 'Mars/Olympus',
      HUBSPOT_SCORE_PROPERTY: 'Fit Score!',
      HUBSPOT_API_URL: 'pat-na1-secret-in-the-wrong-place',
      HUBSPOT_TOKEN: 'pat-na1-secret-in-the-wrong-place',
    });
    expect(message).toMatch(/SCHEDULE_TIMEZONE: must be an IANA time zone/);
    expect(message).toMatch(/HUBSPOT_SCORE_PROPERTY: must be the internal name of a HubSpot company property/);
    expect(message).toMatch(/HUBSPOT_API_URL: must be an http\(s\) URL/);
    expect(message).not.toContain('pat-na1-secret');
  });

  it('reads digests in UTC unless SCHEDULE_TIMEZONE says otherwise', () => {
    expect(loadConfig({}).schedules.timezone).toBe('UTC');
    expect(loadConfig({ SCHEDULE_TIMEZONE: 'America/Chicago' }).schedules.timezone).toBe('America/Chicago');
  });
});

describe('App Home’s description of the set-up', () => {
  it('names the model, search, store and HubSpot host without any password or token', async () => {
    const { describeSetup } = await import('../../src/slack/describe-setup.js');
    const config = loadConfig({
      OLLAMA_HOST: 'http://leads:ollama-pass-123@ollama.internal:11434',
      CACHE_URL: 'redis://:redis-pass-456@cache.internal:6379',
      HUBSPOT_TOKEN: 'pat-na1-0123456789abcdef',
      HUBSPOT_SCORE_PROPERTY: 'leads_fit_score',
      SEARCH_PROVIDERS: 'tavily,duckduckgo',
    });
    const setup = describeSetup(config);
    expect(setup).toEqual({
      model: 'Ollama llama3.1:8b at ollama.internal:11434',
      search: ['tavily', 'duckduckgo'],
      store: 'Redis at cache.internal:6379',
      hubspot: 'api.hubapi.com, fit score in "leads_fit_score"',
    });
    expect(JSON.stringify(setup)).not.toMatch(/pass|pat-na1/);
  });
});
