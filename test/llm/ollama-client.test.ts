import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LlmUnavailableError, StructuredOutputError } from '../../src/errors.js';
import { createOllamaProvider } from '../../src/llm/ollama-provider.js';
import { startFakeOllama, type FakeOllama } from '../fakes/fake-ollama.js';
import { clientFor, recordingMeter, requestFor } from './helpers.js';

const good = { name: 'AutoNation', website: 'https://autonation.com', rooftops: 240 };

function ollamaClient(f: FakeOllama, options: Parameters<typeof clientFor>[1] = {}) {
  return clientFor(createOllamaProvider({ host: f.url, model: 'llama3.1:8b' }), options);
}

describe('LLM client over Ollama', () => {
  it('sends the JSON schema without pattern in format, temperature 0 and a context larger than the prompt', async () => {
    const fake = await startFakeOllama({ respond: () => good });
    const prompt = 'x'.repeat(40_000);
    const result = await ollamaClient(fake).generateObject(requestFor({ prompt }));
    expect(result.data).toEqual(good);
    const call = fake.calls[0];
    expect(call?.model).toBe('llama3.1:8b');
    expect(call?.body.stream).toBe(false);
    const format = JSON.stringify(call?.format);
    expect(format).toContain('"rooftops"');
    expect(format).not.toContain('pattern');
    expect(format).not.toContain('$schema');
    expect(call?.options.temperature).toBe(0);
    expect(call?.options.num_ctx).toBeGreaterThan(prompt.length / 4 + 2048);
    expect(call?.options.num_predict).toBe(2048);
    expect(call?.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('reports token counts from prompt_eval_count and eval_count to the meter', async () => {
    const fake = await startFakeOllama({ respond: () => good });
    const meter = recordingMeter();
    const result = await ollamaClient(fake).generateObject(requestFor({ meter }));
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBe(Math.ceil(JSON.stringify(good).length / 4));
    expect(meter.calls).toEqual([expect.objectContaining({ ...result.usage, agent: 'enrichment' })]);
  });

  it('uses the JSON after a <think> block', async () => {
    const fake = await startFakeOllama();
    fake.enqueue({ content: `<think>Maybe {"name": 1}? Let me think.</think>\n${JSON.stringify(good)}` });
    const result = await ollamaClient(fake).generateObject(requestFor());
    expect(result.data).toEqual(good);
    expect(result.attempts).toBe(1);
  });

  it('retries invalid JSON with the parse error and succeeds on the second attempt', async () => {
    const fake = await startFakeOllama();
    fake.enqueue({ content: '{"name": "AutoNation", ' }, { content: good });
    const result = await ollamaClient(fake).generateObject(requestFor());
    expect(result.data).toEqual(good);
    expect(result.attempts).toBe(2);
    const retry = fake.calls[1]?.messages ?? [];
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: '{"name": "AutoNation", ' });
    expect(retry.at(-1)?.content).toMatch(/not valid JSON/);
  });

  it('retries schema-invalid JSON with the failing field in the message', async () => {
    const fake = await startFakeOllama();
    fake.enqueue({ content: { name: 'AutoNation', website: 'autonation.com', rooftops: 'many' } }, { content: good });
    const result = await ollamaClient(fake).generateObject(requestFor());
    expect(result.data).toEqual(good);
    const correction = fake.calls[1]?.messages.at(-1)?.content ?? '';
    expect(correction).toContain('rooftops');
    expect(correction).toContain('website');
  });

  it('retries an empty answer', async () => {
    const fake = await startFakeOllama();
    fake.enqueue({ content: '' }, { content: good });
    const result = await ollamaClient(fake).generateObject(requestFor());
    expect(result.attempts).toBe(2);
    expect(fake.calls[1]?.messages.at(-1)?.content).toMatch(/empty/);
  });

  it('throws a StructuredOutputError with the raw text and usage after three bad answers', async () => {
    const fake = await startFakeOllama();
    fake.enqueue({ content: 'no' }, { content: 'still no' }, { content: 'I cannot answer in JSON' });
    const error = await ollamaClient(fake)
      .generateObject(requestFor())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StructuredOutputError);
    const failure = error as StructuredOutputError;
    expect(failure.message).toMatch(/valid company after 3 attempts/);
    expect(failure.rawText).toBe('I cannot answer in JSON');
    expect(failure.usage.outputTokens).toBeGreaterThan(0);
    expect(failure.cause).toBeInstanceOf(Error);
    expect(fake.calls).toHaveLength(3);
  });

  it('aborts a call that outlives the timeout and names host and model', async () => {
    const fake = await startFakeOllama({ respond: () => good });
    fake.enqueue({ delayMs: 5_000 });
    const started = Date.now();
    const error = await ollamaClient(fake, { timeoutMs: 300 })
      .generateObject(requestFor())
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toBe(
      `The language model at ${fake.url} (llama3.1:8b) did not answer in 0.3 s; check OLLAMA_HOST and that Ollama is running.`,
    );
  });

  it('fails fast with the host in the message when the port is closed', async () => {
    const port = await closedPort();
    const host = `http://127.0.0.1:${port}`;
    const client = clientFor(createOllamaProvider({ host, model: 'llama3.1:8b' }));
    const started = Date.now();
    const error = await client.generateObject(requestFor()).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toContain(`${host} (llama3.1:8b) refused the connection`);
  });

  it('retries a 500 and a dropped connection, then succeeds', async () => {
    const fake = await startFakeOllama({ respond: () => good });
    fake.enqueue({ status: 500, error: 'llama runner process has terminated' }, { drop: true });
    const result = await ollamaClient(fake).generateObject(requestFor());
    expect(result.data).toEqual(good);
    expect(fake.calls).toHaveLength(3);
  });

  it('gives up after three 500s with the status in the message', async () => {
    const fake = await startFakeOllama({ respond: () => good });
    fake.enqueue(...Array.from({ length: 3 }, () => ({ status: 500, error: 'out of memory' })));
    const error = await ollamaClient(fake)
      .generateObject(requestFor())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toMatch(/failed with HTTP 500: out of memory after 3 attempts/);
  });

  it('tells the user to pull a model Ollama does not have, without retrying', async () => {
    const fake = await startFakeOllama({ models: ['qwen2.5:7b'], respond: () => good });
    const error = await ollamaClient(fake)
      .generateObject(requestFor())
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `The model llama3.1:8b is not pulled on ${fake.url}; run \`ollama pull llama3.1:8b\`, or set OLLAMA_MODEL to a model it has.`,
    );
    expect(fake.calls).toHaveLength(1);
  });

  it('ping succeeds when the model is pulled and names the pull command when it is not', async () => {
    const fake = await startFakeOllama({ models: ['llama3.1:8b'] });
    await ollamaClient(fake).ping();
    const other = clientFor(createOllamaProvider({ host: fake.url, model: 'mistral' }));
    await expect(other.ping()).rejects.toThrow(
      `The model mistral is not pulled on ${fake.url}; run \`ollama pull mistral\`, or set OLLAMA_MODEL to a model it has.`,
    );
  });

  it('reports calls at the provider through inFlight()', async () => {
    const fake = await startFakeOllama({ respond: () => good });
    fake.enqueue({ delayMs: 200, content: good });
    const client = ollamaClient(fake);
    const pending = client.generateObject(requestFor());
    await new Promise((r) => setTimeout(r, 100));
    expect(client.inFlight()).toBe(1);
    await pending;
    expect(client.inFlight()).toBe(0);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
