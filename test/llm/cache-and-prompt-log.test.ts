import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOllamaProvider } from '../../src/llm/ollama-provider.js';
import { createPromptLog, type PromptLogEntry } from '../../src/llm/prompt-log.js';
import { createScrubber } from '../../src/secrets.js';
import { startFakeOllama } from '../fakes/fake-ollama.js';
import { clientFor, memoryCache, recordingMeter, requestFor, tempDir } from './helpers.js';

const good = { name: 'AutoNation', website: 'https://autonation.com', rooftops: 240 };

describe('response cache', () => {
  it('answers a second identical call from the cache without an HTTP request and counts a hit', async () => {
    const fake = await startFakeOllama({ respond: () => good });
    const client = clientFor(createOllamaProvider({ host: fake.url, model: 'llama3.1:8b' }), { cache: memoryCache() });
    const meter = recordingMeter();
    const first = await client.generateObject(requestFor({ meter }));
    const second = await client.generateObject(requestFor({ meter }));
    expect(fake.calls).toHaveLength(1);
    expect(second).toMatchObject({ data: good, cached: true, usage: { promptTokens: 0, outputTokens: 0 } });
    expect(first.cached).toBe(false);
    expect(meter.hits).toEqual(['llm']);
    expect(meter.calls).toHaveLength(1);
  });

  it('calls the model again when fresh is set, and when the scope differs', async () => {
    const fake = await startFakeOllama({ respond: () => good });
    const client = clientFor(createOllamaProvider({ host: fake.url, model: 'llama3.1:8b' }), { cache: memoryCache() });
    await client.generateObject(requestFor());
    const fresh = await client.generateObject(requestFor({ fresh: true }));
    await client.generateObject(requestFor({ scope: 'T2' }));
    expect(fresh.cached).toBe(false);
    expect(fake.calls).toHaveLength(3);
  });

  it('does not cache a failed call', async () => {
    const fake = await startFakeOllama({ respond: () => good });
    fake.enqueue({ content: 'x' }, { content: 'y' }, { content: 'z' });
    const client = clientFor(createOllamaProvider({ host: fake.url, model: 'llama3.1:8b' }), { cache: memoryCache() });
    await expect(client.generateObject(requestFor())).rejects.toThrow(/after 3 attempts/);
    const retried = await client.generateObject(requestFor());
    expect(retried.cached).toBe(false);
    expect(retried.data).toEqual(good);
  });
});

describe('prompt log', () => {
  it('writes one scrubbed line per call with tokens, latency and the validation error', async () => {
    const secret = 'hf_SECRETSECRETSECRET';
    const fake = await startFakeOllama();
    fake.enqueue({ content: 'not json' }, { content: good });
    const dir = tempDir();
    const promptLog = createPromptLog({
      dir,
      scrub: createScrubber([secret]),
      startedAt: new Date('2025-01-02T03:04:05Z'),
    });
    const client = clientFor(createOllamaProvider({ host: fake.url, model: 'llama3.1:8b' }), { promptLog });
    await client.generateObject(requestFor({ prompt: `token ${secret} leaked into a page` }));
    await promptLog.flush();
    expect(promptLog.path).toBe(`${dir}/prompt_logs/session_20250102_030405.jsonl`);
    const text = readFileSync(promptLog.path, 'utf8');
    expect(text).not.toContain(secret);
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as PromptLogEntry);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      runId: 'run-1',
      agent: 'enrichment',
      provider: 'ollama',
      model: 'llama3.1:8b',
      response: 'not json',
      attempt: 1,
    });
    expect(lines[0]?.error).toMatch(/not valid JSON/);
    expect(lines[0]?.messages[1]?.content).toContain('[REDACTED]');
    expect(lines[1]).toMatchObject({ attempt: 2, error: null, response: JSON.stringify(good) });
    expect(lines[1]?.promptTokens).toBeGreaterThan(0);
    expect(lines[1]?.outputTokens).toBeGreaterThan(0);
    expect(lines[1]?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(lines[1]?.messages).toHaveLength(4);
  });

  it('logs a transport failure with its error and no response', async () => {
    const fake = await startFakeOllama({ respond: () => good });
    fake.enqueue({ status: 500, error: 'boom' });
    const promptLog = createPromptLog({ dir: tempDir(), scrub: (t) => t });
    const client = clientFor(createOllamaProvider({ host: fake.url, model: 'llama3.1:8b' }), { promptLog });
    await client.generateObject(requestFor());
    await promptLog.flush();
    const lines = readFileSync(promptLog.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as PromptLogEntry);
    expect(lines[0]).toMatchObject({ response: null, error: 'HTTP 500: boom', attempt: 1 });
    expect(lines[1]).toMatchObject({ error: null, attempt: 2 });
  });

  it('keeps lines whole when many calls write at once', async () => {
    const promptLog = createPromptLog({ dir: tempDir(), scrub: (t) => t });
    const big = 'y'.repeat(100_000);
    for (let i = 0; i < 20; i += 1) {
      promptLog.write({
        time: '',
        runId: `r${i}`,
        agent: 'a',
        provider: 'ollama',
        model: 'm',
        messages: [{ role: 'user', content: big }],
        response: big,
        promptTokens: 1,
        outputTokens: 1,
        latencyMs: 1,
        attempt: 1,
        error: null,
      });
    }
    await promptLog.flush();
    const lines = readFileSync(promptLog.path, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as PromptLogEntry).runId)).toEqual(
      Array.from({ length: 20 }, (_, i) => `r${i}`),
    );
  });

  it('warns instead of throwing when the folder cannot be written', async () => {
    const warnings: unknown[] = [];
    const notAFolder = join(tempDir(), 'file');
    writeFileSync(notAFolder, 'x');
    const promptLog = createPromptLog({
      dir: notAFolder,
      scrub: (t) => t,
      logger: { warn: (...args: unknown[]) => warnings.push(args) } as never,
    });
    promptLog.write({
      time: '',
      runId: 'r',
      agent: 'a',
      provider: 'ollama',
      model: 'm',
      messages: [],
      response: null,
      promptTokens: 0,
      outputTokens: 0,
      latencyMs: 0,
      attempt: 1,
      error: null,
    });
    await expect(promptLog.flush()).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});
