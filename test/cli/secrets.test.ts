// A full run through the real CLI with every secret set, at debug log level, and one secret pasted into the
// request itself. No output of the run may hold any secret value.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';
import { writeResultsFile } from '../../src/pipeline/results-file.js';
import { leadsDocumentSchema, type LeadsDocument } from '../../src/domain/types.js';
import { createScrubber } from '../../src/secrets.js';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness.js';
import { REDIS_MODE } from '../support/test-mode.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { Redis } from 'ioredis';

const SECRETS = {
  TAVILY_API_KEY: 'tvly-secret-4b1f9e0c2d7a',
  HF_TOKEN: 'hf_secretTokenValue0123456789',
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-secretBotToken',
  SLACK_SIGNING_SECRET: 'signing-secret-8d7c6b5a4f3e',
  SLACK_APP_TOKEN: 'xapp-1-A111-secretAppToken',
  SERPER_API_KEY: 'serper-secret-key-55aa66bb',
  GOOGLE_CSE_KEY: 'AIzaSecretGoogleKey-77cc88dd',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Every string value the run stored under its REDIS_PREFIX (the cache and the run store, in Redis mode). */
async function redisValues(url: string, prefix: string): Promise<[string, Buffer][]> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    const values: [string, Buffer][] = [];
    for (const key of keys) {
      if ((await redis.type(key)) === 'string')
        values.push([`redis ${key}`, (await redis.getBuffer(key)) ?? Buffer.alloc(0)]);
    }
    return values;
  } finally {
    redis.disconnect();
  }
}

let harness: PipelineHarness;
let dataDir: string;
beforeAll(async () => {
  harness = await startPipelineHarness();
  dataDir = tempDir('leads-secrets-');
});

describe('secrets in a full CLI run', () => {
  it('appear in no output: not stdout, stderr, results_cache, prompt_logs or the cache (SQLite, or Redis), and never reach the LLM or search', async () => {
    const request = `find me potential customers (oops, my Serper key is ${SECRETS.SERPER_API_KEY})`;
    const out = await runCli(
      [request, '--json', '--fresh'],
      {
        ...harness.env,
        ...SECRETS,
        GOOGLE_CSE_CX: 'cx-not-secret',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'debug',
      },
      { viaNpx: true },
    );

    expect(out.code, out.stderr).toBe(0);
    const doc = leadsDocumentSchema.parse(JSON.parse(out.stdout));
    expect(doc.leads).toHaveLength(10);
    expect(doc.request).toContain('[REDACTED]');
    expect(out.stderr).toMatch(/"level":20/); // debug lines were written, and checked below

    // SQLite stores TEXT values as plain UTF-8 in its pages, and Keyv stores JSON, so a byte search of the
    // database file (and any -wal/-journal beside it) finds any stored secret; nothing is compressed.
    const files = filesUnder(dataDir);
    expect(files.some((f) => f.includes('results_cache'))).toBe(true);
    expect(files.some((f) => f.includes('prompt_logs'))).toBe(true);
    expect(files.some((f) => f.endsWith('cache.sqlite'))).toBe(!REDIS_MODE);
    const outputs: [string, Buffer][] = [
      ['stdout', Buffer.from(out.stdout)],
      ['stderr', Buffer.from(out.stderr)],
      ...files.map((f): [string, Buffer] => [f, readFileSync(f)]),
      ...(REDIS_MODE ? await redisValues(harness.env.REDIS_URL!, harness.env.REDIS_PREFIX!) : []),
    ];
    for (const [name, value] of Object.entries(SECRETS)) {
      for (const [where, bytes] of outputs) expect(bytes.includes(value), `${name} found in ${where}`).toBe(false);
    }

    // The pasted key was redacted before the pipeline used the request: the model and the search never saw it.
    const sentToLlm = JSON.stringify(harness.ollama.calls.map((c) => c.messages));
    const sentToSearch = harness.tavily.requests.map((r) => r.rawBody).join('\n');
    expect(sentToLlm).toContain('[REDACTED]');
    for (const value of Object.values(SECRETS)) {
      expect(sentToLlm).not.toContain(value);
      expect(sentToSearch).not.toContain(value);
    }
  }, 90_000);

  it('are removed by the logger from any field or message, including ones it has no redaction path for', () => {
    let written = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((written += String(chunk)), done()) });
    const logger = createLogger({ level: 'debug', scrub: createScrubber(Object.values(SECRETS)), destination: sink });
    logger.debug(
      {
        url: `https://api.example.com/?key=${SECRETS.GOOGLE_CSE_KEY}`,
        nested: { header: `Bearer ${SECRETS.TAVILY_API_KEY}` },
      },
      `failed with ${SECRETS.SLACK_BOT_TOKEN}`,
    );
    logger.error({ err: new Error(`HF said ${SECRETS.HF_TOKEN}`) }, 'provider error');
    expect(written).toContain('[REDACTED]');
    for (const value of Object.values(SECRETS)) expect(written).not.toContain(value);
  });

  it('are removed from a results file even if a lead carries one', async () => {
    const doc = {
      runId: 'run_1',
      request: 'find customers',
      intent: { intent: 'customer', confidence: 0.9, constraints: {} },
      leads: [
        {
          rank: 1,
          name: 'Harbor',
          website: null,
          headquarters: null,
          size: null,
          industry: null,
          fitScore: 80,
          rationale: `token ${SECRETS.SLACK_SIGNING_SECRET}`,
          sources: ['https://a.example.com'],
        },
      ],
      stats: { llmCalls: 0, promptTokens: 0, outputTokens: 0, searches: 0, cacheHits: 0, durationMs: 0, stageMs: {} },
    } as LeadsDocument;
    const path = await writeResultsFile(dataDir, 'T1', doc, new Date(), createScrubber(Object.values(SECRETS)));
    expect(readFileSync(path, 'utf8')).not.toContain(SECRETS.SLACK_SIGNING_SECRET);
  });
});
