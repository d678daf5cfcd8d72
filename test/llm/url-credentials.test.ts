// Provider URLs may carry user:password@ (a reverse proxy in front of Ollama or SearXNG): it is sent as an
// Authorization: Basic header, a *_BEARER_TOKEN as Bearer, and the password is never printed anywhere.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError, describeError } from '../../src/errors.js';
import { createScrubber } from '../../src/secrets.js';
import { startFakeSearxng } from '../fakes/fake-searxng.js';
import { fakeWebResults } from '../support/fake-web.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { runCli } from '../support/run-cli.js';

const PASSWORD = 's3cret-Proxy-pass';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const withCredentials = (url: string, user: string, password: string) =>
  url.replace('http://', `http://${user}:${password}@`);

/** Every file under a folder, as text (the SQLite cache included). */
function everyFileUnder(dir: string): string {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path).toString('latin1'))
    .join('\n');
}

describe('credentials inside provider URLs', () => {
  it('OLLAMA_HOST=http://user:password@host and SEARXNG_URL with credentials work: sent as Basic, never in a URL', async () => {
    const searxng = await startFakeSearxng({
      results: fakeWebResults(),
      requireAuthorization: basic('search', PASSWORD),
    });
    const searxngUrl = searxng.url;
    const harness = await startPipelineHarness({
      ollamaAuthorization: basic('leads', PASSWORD),
      env: ({ ollama }) => ({
        OLLAMA_HOST: withCredentials(ollama, 'leads', PASSWORD),
        SEARCH_PROVIDERS: 'searxng',
        SEARXNG_URL: withCredentials(searxngUrl, 'search', PASSWORD),
      }),
    });
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' });
    expect(doc.leads).toHaveLength(10);
    expect(harness.ollama.calls.length).toBeGreaterThan(0);
    expect(searxng.unexpected).toEqual([]);
    expect(searxng.queries.length).toBeGreaterThan(0);
    expect(harness.services.llm.host).toBe(harness.ollama.url);
    expect(everyFileUnder(harness.dataDir) + harness.logs()).not.toContain(PASSWORD);
  });

  it('OLLAMA_BEARER_TOKEN is sent as Authorization: Bearer', async () => {
    const harness = await startPipelineHarness({
      ollamaAuthorization: 'Bearer tok-0123456789abcdef',
      env: { OLLAMA_BEARER_TOKEN: 'tok-0123456789abcdef' },
    });
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' });
    expect(doc.leads).toHaveLength(10);
  });

  it('a wrong password fails in plain words, and neither the CLI, the logs, the prompt log nor the cache show it', async () => {
    const harness = await startPipelineHarness({ ollamaAuthorization: basic('leads', 'the-right-one') });
    const env = {
      ...harness.env,
      OLLAMA_HOST: withCredentials(harness.ollama.url, 'leads', PASSWORD),
      LOG_LEVEL: 'debug',
    };
    const out = await runCli(['find customers', '--fresh'], env);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/refused access \(HTTP 401: 401 Authorization Required\)/);
    const everything = `${out.stdout}\n${out.stderr}\n${everyFileUnder(harness.dataDir)}`;
    for (const secret of [PASSWORD, basic('leads', PASSWORD).slice(6), `leads:${PASSWORD}`])
      expect(everything).not.toContain(secret);
  }, 60_000);

  it('never echoes a URL password: configuration errors, error descriptions and the scrubber redact it', () => {
    let error: unknown;
    try {
      loadConfig({ OLLAMA_HOST: `ftp://leads:${PASSWORD}@proxy.example.com` });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('OLLAMA_HOST: must be an http(s) URL');
    expect((error as Error).message).not.toContain(PASSWORD);
    expect(describeError(new Error(`connect ECONNREFUSED http://leads:${PASSWORD}@10.0.0.1:11434/api/chat`))).toBe(
      'connect ECONNREFUSED http://***@10.0.0.1:11434/api/chat',
    );
    expect(createScrubber([])(`{"url":"https://u:${PASSWORD}@searx.example.com/search?q=x"}`)).toBe(
      '{"url":"https://***@searx.example.com/search?q=x"}',
    );
  });

  it('refuses credentials in a URL whose client already sends its own Authorization header', () => {
    expect(() =>
      loadConfig({
        LLM_PROVIDER: 'huggingface',
        HF_TOKEN: 'hf_abcdefgh',
        HF_ENDPOINT_URL: `https://u:${PASSWORD}@tgi.example.com`,
      }),
    ).toThrow(
      /HF_ENDPOINT_URL: must not contain user:password@: this client sends HF_TOKEN as its Authorization header/,
    );
    expect(() =>
      loadConfig({ OLLAMA_HOST: `http://u:${PASSWORD}@h:11434`, OLLAMA_BEARER_TOKEN: 'tok-123456' }),
    ).toThrow(/OLLAMA_HOST: has user:password@ and OLLAMA_BEARER_TOKEN is set too/);
  });
});
