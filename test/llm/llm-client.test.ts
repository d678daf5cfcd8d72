import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { RunAbortedError } from '../../src/errors.js';
import { createLlmFromConfig } from '../../src/llm/index.js';
import { contextTokensFor } from '../../src/llm/llm-client.js';
import { createOllamaProvider } from '../../src/llm/ollama-provider.js';
import { createLogger } from '../../src/logger.js';
import { startFakeHuggingFace } from '../fakes/fake-huggingface.js';
import { startFakeOllama } from '../fakes/fake-ollama.js';
import { clientFor, requestFor, tempDir } from './helpers.js';

const good = { name: 'AutoNation', website: 'https://autonation.com', rooftops: 240 };

describe('LLM client scheduling', () => {
  it('keeps at most LLM_CONCURRENCY calls at the model', async () => {
    const fake = await startFakeOllama({
      respond: () => good,
      cost: { baseMs: 30, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 10 },
    });
    const client = clientFor(createOllamaProvider({ host: fake.url, model: 'llama3.1:8b' }));
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => client.generateObject(requestFor({ prompt: `company ${i}` }))),
    );
    expect(fake.calls).toHaveLength(6);
    expect(fake.maxInFlight).toBe(2);
  });

  it("answers one team's single call while another team's big batch is still queued", async () => {
    const fake = await startFakeOllama({
      respond: () => good,
      cost: { baseMs: 40, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 2 },
    });
    const client = clientFor(createOllamaProvider({ host: fake.url, model: 'llama3.1:8b' }));
    const finished: string[] = [];
    const big = Array.from({ length: 10 }, (_, i) =>
      client.generateObject(requestFor({ scope: 'TA', prompt: `a${i}` })).then(() => finished.push(`A${i}`)),
    );
    await new Promise((r) => setTimeout(r, 10));
    const small = client.generateObject(requestFor({ scope: 'TB', prompt: 'b' })).then(() => finished.push('B'));
    await Promise.all([...big, small]);
    expect(finished.indexOf('B')).toBeLessThan(4);
  });

  it('rejects with RunAbortedError when the caller aborts, queued or at the model', async () => {
    const fake = await startFakeOllama({
      respond: () => good,
      cost: { baseMs: 300, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 1 },
    });
    const client = clientFor(createOllamaProvider({ host: fake.url, model: 'llama3.1:8b' }));
    const controller = new AbortController();
    const calls = Array.from({ length: 3 }, (_, i) =>
      client.generateObject(requestFor({ prompt: `p${i}`, signal: controller.signal })),
    );
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(RunAbortedError);
    expect(fake.calls).toHaveLength(2);
    expect(client.inFlight()).toBe(0);
  });

  it('asks for a context window that holds the prompt and the answer, in powers of two from 4096', () => {
    expect(contextTokensFor([{ role: 'user', content: 'hi' }], 1024)).toBe(4096);
    expect(contextTokensFor([{ role: 'user', content: 'x'.repeat(40_000) }], 2048)).toBe(16_384);
  });
});

describe('createLlmFromConfig', () => {
  it('wires Ollama from OLLAMA_HOST and writes the prompt log under DATA_DIR', async () => {
    const fake = await startFakeOllama({ respond: () => good });
    const dataDir = tempDir();
    const config = loadConfig({ OLLAMA_HOST: fake.url, DATA_DIR: dataDir });
    const client = createLlmFromConfig(config, {
      logger: createLogger({ level: 'silent', scrub: (t) => t }),
      scrub: (t) => t,
    });
    expect(client).toMatchObject({ provider: 'ollama', model: 'llama3.1:8b', host: fake.url });
    await expect(client.generateObject(requestFor())).resolves.toMatchObject({ data: good });
    await client.flush?.();
    expect(readdirSync(`${dataDir}/prompt_logs`)).toHaveLength(1);
  });

  it('wires Hugging Face from HF_ENDPOINT_URL, HF_MODEL and HF_TOKEN', async () => {
    const token = 'hf_configtokenconfig';
    const fake = await startFakeHuggingFace({ token, respond: () => good });
    const config = loadConfig({
      LLM_PROVIDER: 'huggingface',
      HF_TOKEN: token,
      HF_ENDPOINT_URL: fake.endpointUrl,
      HF_MODEL: 'Qwen/Qwen2.5-7B-Instruct',
      DATA_DIR: tempDir(),
    });
    const client = createLlmFromConfig(config, {
      logger: createLogger({ level: 'silent', scrub: (t) => t }),
      scrub: (t) => t,
    });
    await expect(client.generateObject(requestFor())).resolves.toMatchObject({ data: good });
    expect(fake.calls[0]?.model).toBe('Qwen/Qwen2.5-7B-Instruct');
    await client.flush?.();
  });
});
