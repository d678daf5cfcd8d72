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

describe('configuration of an OpenAI-compatible model server', () => {
  it('takes a local server without a key, and keeps a key secret when there is one', () => {
    const local = loadConfig({
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1/',
      OPENAI_MODEL: 'Qwen/Qwen2.5-7B-Instruct',
    });
    expect(local.llm).toMatchObject({
      provider: 'openai',
      openaiBaseUrl: 'http://127.0.0.1:8000/v1',
      openaiModel: 'Qwen/Qwen2.5-7B-Instruct',
    });
    expect(local.llm.openaiApiKey).toBeUndefined();
    const hosted = loadConfig({
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-proj-abcdef0123456789',
      OPENAI_MODEL: 'gpt-4o-mini',
    });
    expect(hosted.llm.openaiBaseUrl).toBe('https://api.openai.com/v1');
    expect(createScrubber(secretsOf(hosted))('key sk-proj-abcdef0123456789')).toBe('key [REDACTED]');
  });

  it('names OPENAI_MODEL when it is missing, and OPENAI_API_KEY for OpenAI itself', () => {
    const message = problemsOf({ LLM_PROVIDER: 'openai' });
    expect(message).toMatch(/OPENAI_MODEL: is required when LLM_PROVIDER=openai/);
    expect(message).toMatch(/OPENAI_API_KEY: is required for https:\/\/api\.openai\.com\/v1/);
  });

  it('refuses a password in OPENAI_BASE_URL (the key is the Authorization header) without echoing it', () => {
    const message = problemsOf({
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: 'http://leads:hunter2secret@127.0.0.1:8000/v1',
      OPENAI_MODEL: 'qwen',
    });
    expect(message).toMatch(/OPENAI_BASE_URL: must not contain user:password@: this client sends OPENAI_API_KEY/);
    expect(message).not.toContain('hunter2secret');
  });

  it('names the three providers when LLM_PROVIDER is something else', () => {
    expect(problemsOf({ LLM_PROVIDER: 'vllm' })).toMatch(/LLM_PROVIDER: must be ollama, huggingface or openai/);
  });
});

describe('App Home’s description of an OpenAI-compatible model', () => {
  it('names the model and the host, never the key', async () => {
    const { describeSetup } = await import('../../src/slack/describe-setup.js');
    const setup = describeSetup(
      loadConfig({
        LLM_PROVIDER: 'openai',
        OPENAI_BASE_URL: 'http://vllm.internal:8000/v1',
        OPENAI_API_KEY: 'sk-local-0123456789',
        OPENAI_MODEL: 'Qwen/Qwen2.5-7B-Instruct',
      }),
    );
    expect(setup.model).toBe('OpenAI-compatible Qwen/Qwen2.5-7B-Instruct at vllm.internal:8000');
    expect(JSON.stringify(setup)).not.toContain('sk-local');
  });
});
