import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractJsonText, parseStructured } from '../../src/llm/structured-output.js';
import { toProviderJsonSchema } from '../../src/llm/json-schema.js';

describe('extracting JSON from model text', () => {
  it.each([
    ['<think>hmm {a}</think>{"a":1}', '{"a":1}'],
    ['</think>\n{"a":1}', '{"a":1}'],
    ['<think>never closed {"a":1}', '{"a":1}'],
    ['```json\n{"a":1}\n```', '{"a":1}'],
    ['Sure! Here it is: {"a":{"b":"}"}} Hope this helps.', '{"a":{"b":"}"}}'],
    ['Result: [1, [2, 3]] done', '[1, [2, 3]]'],
  ])('turns %j into %j', (input, expected) => {
    expect(extractJsonText(input)).toBe(expected);
  });

  it('names the first failing paths in a schema error', () => {
    const schema = z.object({ leads: z.array(z.object({ score: z.number().max(100) })) });
    const outcome = parseStructured('{"leads":[{"score":900}]}', schema);
    expect(outcome).toEqual({ ok: false, error: expect.stringContaining('leads.0.score') });
  });

  it('says when the answer was cut off', () => {
    const outcome = parseStructured('{"a": "b', z.object({ a: z.string() }), true);
    expect(outcome.ok ? '' : outcome.error).toMatch(/cut off/);
  });
});

describe('provider JSON schema', () => {
  it('drops pattern, format, $schema and safe-integer bounds but keeps properties named like them', () => {
    const schema = toProviderJsonSchema(
      z.object({
        pattern: z.string().regex(/^a/).describe('kept description'),
        format: z.string().email(),
        when: z.string().datetime().nullable(),
        count: z.number().int().min(1).max(50),
        list: z.array(z.object({ url: z.string().url() })),
      }),
    );
    const text = JSON.stringify(schema);
    expect(text).not.toMatch(/"pattern":\{[^}]*"pattern"|"\$schema"|"format":"|9007199254740991/);
    expect(schema).toMatchObject({
      properties: {
        pattern: { type: 'string', description: 'kept description' },
        format: { type: 'string' },
        count: { type: 'integer', minimum: 1, maximum: 50 },
        list: { items: { properties: { url: { type: 'string' } } } },
      },
      required: ['pattern', 'format', 'when', 'count', 'list'],
    });
    expect(text).not.toContain('"pattern":"');
  });
});
