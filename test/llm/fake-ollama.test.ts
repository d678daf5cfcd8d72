import { Ollama } from 'ollama';
import { describe, expect, it } from 'vitest';
import { startFakeOllama } from '../fakes/fake-ollama.js';

describe('fake Ollama cost model', () => {
  it('serves at most `slots` calls at a time and charges the cost-model latency', async () => {
    const fake = await startFakeOllama({
      respond: () => 'x'.repeat(40),
      cost: { baseMs: 100, perPromptTokenMs: 0.5, perOutputTokenMs: 10, slots: 2 },
    });
    const client = new Ollama({ host: fake.url });
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        client.chat({ model: 'llama3.1:8b', messages: [{ role: 'user', content: 'y'.repeat(400) }] }),
      ),
    );
    const elapsed = Date.now() - started;
    // Each call: 100 + 0.5 × 100 + 10 × 10 = 250 ms; four calls over two slots take two rounds.
    expect(elapsed).toBeGreaterThanOrEqual(490);
    expect(elapsed).toBeLessThan(1_500);
    expect(fake.maxInFlight).toBe(2);
    expect(answers[0]).toMatchObject({
      prompt_eval_count: 100,
      eval_count: 10,
      done: true,
      message: { role: 'assistant' },
    });
  });

  it('lists the configured models on /api/tags', async () => {
    const fake = await startFakeOllama({ models: ['llama3.1:8b', 'qwen2.5:7b'] });
    const list = await new Ollama({ host: fake.url }).list();
    expect(list.models.map((m) => m.name)).toEqual(['llama3.1:8b', 'qwen2.5:7b']);
  });
});
