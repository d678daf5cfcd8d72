import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { LlmUnavailableError, StructuredOutputError } from '../../src/errors.js';
import { createFormatMemory } from '../../src/llm/openai-formats.js';
import { createOpenAiProvider, openAiBase } from '../../src/llm/openai-provider.js';
import { startFakeOpenAi, type FormatRefusal } from '../fakes/fake-openai.js';
import { clientFor, requestFor } from './helpers.js';

const good = { name: 'Lithia Motors', website: 'https://lithia.com', rooftops: 450 };
const model = 'qwen2.5-7b-instruct';
const apiKey = 'sk-test-0123456789abcdef';

function providerFor(baseUrl: string, extra: { apiKey?: string; model?: string } = {}) {
  return createOpenAiProvider({ baseUrl, model: extra.model ?? model, formats: createFormatMemory(), ...extra });
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('expected a failure'),
    (error: Error) => error,
  );
}

describe('LLM client over an OpenAI-compatible server', () => {
  it('asks for json_schema with the model and limits, sends no key to a local server, and counts usage', async () => {
    const fake = await startFakeOpenAi({ respond: () => good });
    const client = clientFor(providerFor(fake.baseUrl));
    const result = await client.generateObject(requestFor({ maxOutputTokens: 500 }));
    expect(result.data).toEqual(good);
    expect(result.usage.outputTokens).toBe(Math.ceil(JSON.stringify(good).length / 4));
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    const call = fake.calls[0];
    expect(call?.body).toMatchObject({ model, temperature: 0, max_tokens: 500 });
    expect(call?.body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'company', strict: true },
    });
    expect(fake.server.requests[0]?.path).toBe('/v1/chat/completions');
    expect(fake.server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('sends OPENAI_API_KEY as the bearer token, and a bare host gets /v1', async () => {
    const fake = await startFakeOpenAi({ apiKey, respond: () => good });
    const client = clientFor(providerFor(fake.url, { apiKey }));
    await expect(client.generateObject(requestFor())).resolves.toMatchObject({ data: good });
    expect(fake.server.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(openAiBase('http://127.0.0.1:8000/')).toBe('http://127.0.0.1:8000/v1');
    expect(openAiBase('https://api.groq.com/openai/v1')).toBe('https://api.groq.com/openai/v1');
  });

  it('a refused key names OPENAI_API_KEY and the host, without retrying', async () => {
    const fake = await startFakeOpenAi({ apiKey, respond: () => good });
    const error = await failureOf(
      clientFor(providerFor(fake.baseUrl, { apiKey: 'sk-wrong-wrong-wrong' })).generateObject(requestFor()),
    );
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.message).toContain(`The language model at ${fake.baseUrl} (${model}) rejected OPENAI_API_KEY`);
    expect(error.message).toContain('Incorrect API key provided');
    expect(fake.server.requests).toHaveLength(1);
  });

  it.each(['openai', 'vllm'] as const)(
    'a model the server does not have (%s envelope) is named, with the models the server offers',
    async (notFoundStyle) => {
      const fake = await startFakeOpenAi({
        models: ['llama-3.1-8b', 'mistral-7b'],
        notFoundStyle,
        respond: () => good,
      });
      const error = await failureOf(clientFor(providerFor(fake.baseUrl)).generateObject(requestFor()));
      expect(error.message).toMatch(
        new RegExp(`model ${model} is not served at .*; it offers llama-3.1-8b, mistral-7b; set OPENAI_MODEL`),
      );
      expect(fake.server.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/models']);
    },
  );

  it('an unreachable server names OPENAI_BASE_URL after our three attempts', async () => {
    const base = `http://127.0.0.1:${await closedPort()}/v1`;
    const error = await failureOf(clientFor(providerFor(base)).generateObject(requestFor()));
    expect(error.message).toContain(`The language model at ${base} (${model}) refused the connection after 3 attempts`);
    expect(error.message).toContain('OPENAI_BASE_URL');
  });

  it('retries a 5xx with our backoff only: the client library adds no attempts of its own', async () => {
    const fake = await startFakeOpenAi({ respond: () => good });
    fake.enqueue({ status: 503, error: 'overloaded' }, { status: 502, error: 'bad gateway' });
    await expect(clientFor(providerFor(fake.baseUrl)).generateObject(requestFor())).resolves.toMatchObject({
      data: good,
    });
    expect(fake.server.requests).toHaveLength(3);

    fake.enqueue(...Array.from({ length: 5 }, () => ({ status: 500, error: 'boom' })));
    const error = await failureOf(clientFor(providerFor(fake.baseUrl)).generateObject(requestFor({ prompt: 'x' })));
    expect(error.message).toMatch(/failed with HTTP 500: boom after 3 attempts; check OPENAI_BASE_URL/);
    expect(fake.server.requests).toHaveLength(6);
  });

  it('waits out a 429 for as long as Retry-After says, then answers', async () => {
    const fake = await startFakeOpenAi({ respond: () => good });
    fake.enqueueHttp({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
    });
    await expect(clientFor(providerFor(fake.baseUrl)).generateObject(requestFor())).resolves.toMatchObject({
      data: good,
    });
    const [first, second] = fake.server.requests;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('a 429 asking for longer than the budget is reported with the wait, not waited out', async () => {
    const fake = await startFakeOpenAi({ respond: () => good });
    fake.enqueueHttp({ status: 429, headers: { 'retry-after': '120' }, body: { error: { message: 'slow down' } } });
    const error = await failureOf(clientFor(providerFor(fake.baseUrl)).generateObject(requestFor()));
    expect(error.message).toMatch(/is rate limiting requests \(HTTP 429\); try again in 120 s/);
    expect(fake.server.requests).toHaveLength(1);
  });

  it('a server that hangs is given up on after LLM_TIMEOUT_MS, naming OPENAI_BASE_URL', async () => {
    const fake = await startFakeOpenAi({ respond: () => good });
    fake.enqueue({ delayMs: 5_000 });
    const error = await failureOf(
      clientFor(providerFor(fake.baseUrl), { timeoutMs: 400 }).generateObject(requestFor()),
    );
    expect(error.message).toMatch(/did not answer in 0\.4 s; check OPENAI_BASE_URL/);
  });

  it('a web page instead of the API is "not a chat-completions endpoint", told in one short line', async () => {
    const fake = await startFakeOpenAi({ respond: () => good });
    fake.enqueueHttp({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: `<html><body>${'<p>welcome</p>'.repeat(300)}</body></html>`,
    });
    const error = await failureOf(clientFor(providerFor(fake.baseUrl)).generateObject(requestFor()));
    expect(error.message).toMatch(/does not answer like a chat-completions endpoint .*OPENAI_BASE_URL/);
    expect(error.message.length).toBeLessThan(400);
    expect(fake.server.requests).toHaveLength(1);
  });

  it.each(['vllm', 'llama-server', 'lmstudio'] as FormatRefusal[])(
    'a server refusing json_schema (%s) gets JSON mode with the schema in the prompt, and later calls go straight there',
    async (refuseJsonSchema) => {
      const fake = await startFakeOpenAi({ refuseJsonSchema, respond: () => good });
      const first = createOpenAiProvider({ baseUrl: fake.baseUrl, model });
      await expect(clientFor(first).generateObject(requestFor())).resolves.toMatchObject({ data: good });
      expect(fake.server.requests).toHaveLength(2);
      expect(fake.calls.map((c) => c.responseFormat)).toEqual(['json_object']);
      expect(fake.calls[0]?.messages[0]?.content).toMatch(/It must follow this JSON schema:\n\{/);

      // Another client for the same base URL and model (a re-built app) skips the refused format at once.
      const again = createOpenAiProvider({ baseUrl: fake.baseUrl, model });
      await clientFor(again).generateObject(requestFor({ prompt: 'Another company.' }));
      expect(fake.server.requests).toHaveLength(3);
      expect(fake.calls.map((c) => c.responseFormat)).toEqual(['json_object', 'json_object']);
    },
  );

  it('a server refusing JSON mode too (LM Studio) gets plain text, still checked against the schema', async () => {
    const fake = await startFakeOpenAi({ refuseJsonSchema: 'lmstudio', refuseJsonObject: true });
    fake.enqueue({ content: 'Here you go: {"name": "Lithia Motors"}' }, { content: JSON.stringify(good) });
    const result = await clientFor(providerFor(fake.baseUrl)).generateObject(requestFor());
    expect(result.data).toEqual(good);
    expect(fake.calls.map((c) => c.responseFormat)).toEqual(['none', 'none']);
    // The second call carries the validation error of the first, as with every provider.
    expect(fake.calls[1]?.messages.at(-1)?.content).toMatch(/could not be used: .*rooftops/);
  });

  it('a 400 that is not about the format (the prompt is too long) is not retried in another format', async () => {
    const fake = await startFakeOpenAi({ respond: () => good });
    fake.enqueue({ status: 400, error: "This model's maximum context length is 8192 tokens" });
    const error = await failureOf(clientFor(providerFor(fake.baseUrl)).generateObject(requestFor()));
    expect(error.message).toMatch(/rejected the request: HTTP 400: This model's maximum context length/);
    expect(fake.server.requests).toHaveLength(1);
  });

  it('reads the JSON out of a <think> preamble and prose, and sends a broken answer back with its error', async () => {
    const fake = await startFakeOpenAi({});
    fake.enqueue(
      { content: '<think>The user wants JSON. Lithia has 450 stores.</think>\n{"name": "Lithia Motors", "website": ' },
      { content: `<think>fix it</think>Sure! \`\`\`json\n${JSON.stringify(good)}\n\`\`\`` },
    );
    const result = await clientFor(providerFor(fake.baseUrl)).generateObject(requestFor());
    expect(result).toMatchObject({ data: good, attempts: 2 });
  });

  it('gives up with the validation error when the model never answers in the schema', async () => {
    const fake = await startFakeOpenAi({ respond: () => ({ name: 'Lithia Motors' }) });
    const error = await failureOf(clientFor(providerFor(fake.baseUrl)).generateObject(requestFor()));
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect(fake.calls).toHaveLength(3);
  });

  it('counts no tokens when a server leaves usage out, rather than failing', async () => {
    const fake = await startFakeOpenAi({ omitUsage: true, respond: () => good });
    const result = await clientFor(providerFor(fake.baseUrl)).generateObject(requestFor());
    expect(result.usage).toEqual({ promptTokens: 0, outputTokens: 0 });
  });

  it('ping lists the models and says which ones are offered when ours is not', async () => {
    const fake = await startFakeOpenAi({ models: ['llama-3.1-8b'] });
    await expect(clientFor(providerFor(fake.baseUrl, { model: 'llama-3.1-8b' })).ping()).resolves.toBeUndefined();
    const error = await failureOf(clientFor(providerFor(fake.baseUrl)).ping());
    expect(error.message).toMatch(/model qwen2\.5-7b-instruct is not served at .*; it offers llama-3\.1-8b/);
    expect(fake.server.requests.every((r) => r.path === '/v1/models')).toBe(true);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
