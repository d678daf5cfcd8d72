import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { leadsDocumentSchema } from '../../src/domain/types.js';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness.js';
import { runCli } from '../support/run-cli.js';

/** npx links this project into its cache the first time it runs in a fresh clone, which takes a while. */
const NPX_TIMEOUT_MS = 90_000;

let harness: PipelineHarness;
beforeAll(async () => {
  harness = await startPipelineHarness();
});

describe('the leads CLI', () => {
  it(
    'prints exactly one JSON document with 10 grounded leads and stats, and exits 0, run as the README writes it (npx leads … --json)',
    async () => {
      const out = await runCli(['find me potential customers', '--json'], harness.env, { viaNpx: true });
      expect(out.stderr).not.toMatch(/failed/i);
      expect(out.code).toBe(0);
      const doc = leadsDocumentSchema.parse(JSON.parse(out.stdout));
      expect(Object.keys(doc)).toEqual(['runId', 'request', 'intent', 'leads', 'stats']);
      expect(Object.keys(doc.leads[0] ?? {})).toEqual([
        'rank',
        'name',
        'website',
        'headquarters',
        'size',
        'industry',
        'fitScore',
        'rationale',
        'sources',
      ]);
      expect(Object.keys(doc.stats)).toEqual([
        'llmCalls',
        'promptTokens',
        'outputTokens',
        'searches',
        'pagesRead',
        'cacheHits',
        'durationMs',
        'stageMs',
        'warnings',
      ]);
      expect(doc.stats.warnings).toEqual([]);
      // Where the run's time went: every stage, in order, adding up to no more than the whole run.
      expect(Object.keys(doc.stats.stageMs)).toEqual(['intent', 'research', 'enrichment', 'scoring']);
      const stageTotal = Object.values(doc.stats.stageMs).reduce((sum, ms) => sum + ms, 0);
      expect(doc.stats.stageMs.research).toBeGreaterThan(0);
      expect(stageTotal).toBeLessThanOrEqual(doc.stats.durationMs + 4);
      expect(doc.request).toBe('find me potential customers');
      expect(doc.leads).toHaveLength(10);
      for (const lead of doc.leads) expect(lead.sources[0]).toMatch(/^https?:\/\//);
      expect(doc.stats.llmCalls + doc.stats.cacheHits).toBeGreaterThan(0);
    },
    NPX_TIMEOUT_MS,
  );

  it('prints a readable table without --json and honours --top', async () => {
    const out = await runCli(['find partners', '--top', '3'], harness.env);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Top 3 partners for AxleWave/);
    expect(out.stdout).toMatch(
      /^stages: intent \d+ ms · research [\d.]+ m?s · enrichment [\d.]+ m?s · scoring [\d.]+ m?s$/m,
    );
    expect(out.stdout).toMatch(/#\s+Company\s+Score\s+HQ\s+Size\s+Website/);
    expect(out.stdout).toMatch(/Sources: https?:\/\//);
    expect(() => JSON.parse(out.stdout)).toThrow();
  });

  it(
    'answers --version with the package version and --help with the usage, without configuration',
    async () => {
      const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
      const shown = await runCli(['--version'], {}, { viaNpx: true });
      expect(shown).toMatchObject({ code: 0, stdout: `leads ${version}\n` });
      const help = await runCli(['--help'], { OLLAMA_HOST: 'not a url' });
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: npx leads "<request>" \[--json\] \[--fresh\] \[--top N\]/);
      expect(help.stdout).toContain('--version');
    },
    NPX_TIMEOUT_MS,
  );

  it('exits 2 with usage for a missing request or a bad --top', async () => {
    const missing = await runCli([], harness.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Missing the request/);
    expect(missing.stderr).toMatch(/Usage: npx leads/);
    const badTop = await runCli(['find customers', '--top', 'ten'], harness.env);
    expect(badTop.code).toBe(2);
    expect(badTop.stderr).toMatch(/--top must be a whole number/);
    const unknown = await runCli(['find customers', '--bogus'], harness.env);
    expect(unknown.code).toBe(2);
  });

  it('exits 2 naming the variable when configuration is bad', async () => {
    const out = await runCli(['find customers'], {
      ...harness.env,
      OLLAMA_HOST: 'localhost-no-scheme',
      LLM_PROVIDER: 'gpt',
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/OLLAMA_HOST: must be an http\(s\) URL/);
    expect(out.stderr).toMatch(/LLM_PROVIDER/);
    expect(out.stdout).toBe('');
  });

  it('exits 2 when the company profile is malformed, naming the file and field', async () => {
    const out = await runCli(['find customers'], { ...harness.env, COMPANY_CONTEXT: 'package.json' });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/Company profile .*package\.json is invalid/);
    expect(out.stderr).toMatch(/company: /);
  });

  it('fails within 30 s with exit 1 and says what to configure when neither the LLM nor search is reachable', async () => {
    const out = await runCli(['find customers', '--fresh'], {
      ...harness.env,
      OLLAMA_HOST: 'http://127.0.0.1:9',
      TAVILY_API_URL: 'http://127.0.0.1:9',
      SEARCH_PROVIDERS: 'tavily',
    });
    expect(out.code).toBe(1);
    expect(out.ms).toBeLessThan(30_000);
    expect(out.stderr).toMatch(/The run failed/);
    expect(out.stderr).toMatch(/SEARCH_PROVIDERS|TAVILY_API_KEY|SERPER_API_KEY|SEARXNG_URL/);
    expect(out.stdout).toBe('');
  }, 40_000);

  it('fails with exit 1 naming the host when only the LLM is down', async () => {
    const out = await runCli(['find customers', '--fresh'], { ...harness.env, OLLAMA_HOST: 'http://127.0.0.1:9' });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/127\.0\.0\.1:9/);
    expect(out.stderr).toMatch(/OLLAMA_HOST/);
  }, 40_000);
});
