import { SECRET_VARIABLES, type Config } from './config.js';
import { redactUrlCredentials } from './domain/url-credentials.js';

/** Replaces every known secret value in text; the last line of defence for logs, prompt logs and result files. */
export type Scrubber = (text: string) => string;

export function secretsOf(config: Config): string[] {
  const values = [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.llm.hfToken,
    config.llm.openaiApiKey,
    config.search.tavily.apiKey,
    config.search.serper.apiKey,
    config.search.google.key,
    ...config.urlSecrets,
    config.hubspot?.token,
    config.salesforce?.credentials.flow === 'client_credentials'
      ? config.salesforce.credentials.clientSecret
      : undefined,
    config.salesforce?.credentials.flow === 'jwt_bearer' ? config.salesforce.credentials.privateKey : undefined,
  ];
  // Very short values would turn ordinary words into [REDACTED]; real credentials are long.
  return values.filter((value): value is string => typeof value === 'string' && value.length >= 6);
}

/** Removes every known secret value, and the user:password part of any URL, from text. */
export function createScrubber(secrets: readonly string[]): Scrubber {
  const needles = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = redactUrlCredentials(text);
    for (const needle of needles) {
      if (out.includes(needle)) out = out.split(needle).join('[REDACTED]');
    }
    return out;
  };
}

export { SECRET_VARIABLES };
