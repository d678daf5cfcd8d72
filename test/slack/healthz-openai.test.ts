// /healthz with LLM_PROVIDER=openai: the server's model list is what "the model answers" means, so a model the
// server does not serve is a 503 naming it and the models it offers.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../fakes/fake-openai.js';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { tempDir } from '../support/temp-dir.js';
import { startAppProcess } from './support/app-process.js';

describe('GET /healthz with an OpenAI-compatible model server', () => {
  it('answers 503 naming the missing model and what the server offers, and no key ever', async () => {
    const fake = await startFakeSlack();
    const server = await startFakeOpenAi({ models: ['llama-3.1-8b-instruct'], apiKey: 'sk-local-key-0123456789' });
    const app = await startAppProcess(
      {
        SLACK_BOT_TOKEN: 'xoxb-test-bot-token-0123456789',
        SLACK_SIGNING_SECRET: 'test-signing-secret-abcdef0123456789',
        SLACK_API_URL: fake.apiUrl,
        LLM_PROVIDER: 'openai',
        OPENAI_BASE_URL: server.baseUrl,
        OPENAI_API_KEY: 'sk-local-key-0123456789',
        OPENAI_MODEL: 'qwen2.5-7b-instruct',
        DATA_DIR: tempDir('leads-health-'),
        COMPANY_CONTEXT: resolve('data/axlewave_context/company_context.json'),
      },
      45_000,
    );
    const res = await fetch(`${app.baseUrl}/healthz`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(503);
    expect(String(body.llm)).toMatch(
      /The language model at http:\/\/127\.0\.0\.1:\d+\/v1 \(qwen2\.5-7b-instruct\) is not available: model qwen2\.5-7b-instruct is not served .*; it offers llama-3\.1-8b-instruct; set OPENAI_MODEL/,
    );
    expect(JSON.stringify(body)).not.toContain('sk-local-key');
    expect(server.server.requests.every((r) => r.path === '/v1/models')).toBe(true);
  }, 60_000);
});
