import { describe, expect, it } from 'vitest';
import { LlmUnavailableError } from '../../src/errors.js';
import { createHuggingFaceProvider, v1Base } from '../../src/llm/huggingface-provider.js';
import { startFakeHuggingFace } from '../fakes/fake-huggingface.js';
import { clientFor, requestFor } from './helpers.js';

const good = { name: 'Lithia Motors', website: 'https://lithia.com', rooftops: 450 };
const token = 'hf_testtokentesttoken';
const model = 'mistralai/Mistral-7B-Instruct-v0.3';

describe('LLM client over Hugging Face', () => {
  it('posts to the endpoint URL with response_format, the model and the token', async () => {
    const fake = await startFakeHuggingFace({ token, respond: () => good });
    const client = clientFor(createHuggingFaceProvider({ token, model, endpointUrl: fake.endpointUrl }));
    const result = await client.generateObject(requestFor({ maxOutputTokens: 500 }));
    expect(result.data).toEqual(good);
    expect(result.usage.outputTokens).toBe(Math.ceil(JSON.stringify(good).length / 4));
    const body = fake.calls[0]?.body ?? {};
    expect(body.model).toBe(model);
    expect(body.temperature).toBe(0);
    expect(body.max_tokens).toBe(500);
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'company', strict: true } });
    expect(JSON.stringify(fake.calls[0]?.format)).not.toContain('pattern');
    expect(fake.server.requests[0]?.path).toBe('/v1/chat/completions');
  });

  it('accepts an endpoint URL without /v1, as the library does', async () => {
    const fake = await startFakeHuggingFace({ respond: () => good });
    const client = clientFor(createHuggingFaceProvider({ token, model, endpointUrl: `${fake.url}/` }));
    await client.generateObject(requestFor());
    expect(fake.server.requests[0]?.path).toBe('/v1/chat/completions');
    expect(v1Base('https://router.huggingface.co/v1')).toBe('https://router.huggingface.co/v1');
  });

  it('retries a 503 once within the budget, then answers', async () => {
    const fake = await startFakeHuggingFace({ respond: () => good });
    fake.enqueue({ status: 503, error: 'Model is loading' });
    const client = clientFor(createHuggingFaceProvider({ token, model, endpointUrl: fake.endpointUrl }));
    await expect(client.generateObject(requestFor())).resolves.toMatchObject({ data: good });
    expect(fake.calls).toHaveLength(2);
  });

  it('names HF_TOKEN when the endpoint answers 401, without retrying', async () => {
    const fake = await startFakeHuggingFace({ token, respond: () => good });
    const client = clientFor(
      createHuggingFaceProvider({ token: 'hf_wrongwrongwrong', model, endpointUrl: fake.endpointUrl }),
    );
    const error = await client.generateObject(requestFor()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toMatch(/rejected HF_TOKEN/);
    expect(fake.server.requests).toHaveLength(1);
  });

  it('pings the models list with the token', async () => {
    const fake = await startFakeHuggingFace({ token });
    await clientFor(createHuggingFaceProvider({ token, model, endpointUrl: fake.endpointUrl })).ping();
    expect(fake.server.requests[0]?.path).toBe('/v1/models');
  });
});
