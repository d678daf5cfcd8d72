// The fake model the pipeline tests run against: it answers from a prompt's structure, never its wording, and each
// misbehaviour switch does what it says.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toProviderJsonSchema } from '../../src/llm/json-schema.js';
import { dataBlock } from '../../src/agents/prompt-data.js';
import type { FakeChatRequest } from '../fakes/fake-ollama.js';
import { misbehavingModel } from '../fakes/misbehaving-model.js';
import { COOPERATIVE } from '../fakes/misbehaviour.js';
import { FAKE_WORLD } from '../support/fake-web.js';

const explainSchema = toProviderJsonSchema(
  z.object({
    scores: z.array(z.object({ id: z.number(), name: z.string(), fitScore: z.number(), rationale: z.string() })),
  }),
);
const names = ['Harbor Auto Holdings', 'DriveLine CRM', 'Lone Star Motor Group'];
const blocks = names.map(
  (name, i) => `Company ${i + 1}\n${dataBlock(`company ${i + 1}`, `Name: ${name}\nHQ: somewhere`)}`,
);

function ask(prose: string[], misbehaviour = COOPERATIVE, seed = 7): string {
  const model = misbehavingModel({ world: FAKE_WORLD, misbehaviour, seed });
  const prompt = [prose[0], dataBlock('request', 'find me potential partners'), ...blocks, prose[1]].join('\n\n');
  const request = {
    model: 'm',
    messages: [{ role: 'user', content: prompt }],
    format: explainSchema,
    options: {},
    body: {},
    receivedAt: 0,
  } as FakeChatRequest;
  const answer = model.respond(request);
  return typeof answer === 'string' ? answer : JSON.stringify(answer);
}

describe('the misbehaving fake model', () => {
  it('gives the same answer whatever the prose around the data says', () => {
    const a = ask([
      'We want potential partners (companies we could integrate with).',
      'Return {"scores": [...]} with one entry per company id.',
    ]);
    const b = ask([
      'Rank these vendors for a CRM integration deal, please.',
      'Answer as JSON; one item for each numbered company.',
    ]);
    expect(a).toBe(b);
    const scores = (JSON.parse(a) as { scores: { id: number; name: string; fitScore: number }[] }).scores;
    expect(scores.map((s) => [s.id, s.name])).toEqual(names.map((name, i) => [i + 1, name]));
    // A partner request: the vendor outscores the dealer groups, read from the request block, not the prose.
    expect(scores[1]!.fitScore).toBeGreaterThan(scores[0]!.fitScore);
  });

  it('numbers from 0, reverses, drops names, cuts off and thinks when told to', () => {
    const prose = ['p', 'q'];
    const parse = (text: string) => (JSON.parse(text) as { scores: { id: unknown; name?: string }[] }).scores;
    expect(parse(ask(prose, { ...COOPERATIVE, zeroBasedIds: 1 })).map((s) => s.id)).toEqual([0, 1, 2]);
    expect(parse(ask(prose, { ...COOPERATIVE, reversed: 1 })).map((s) => s.id)).toEqual([3, 2, 1]);
    expect(parse(ask(prose, { ...COOPERATIVE, stringIds: 1 })).map((s) => s.id)).toEqual(['1', '2', '3']);
    expect(parse(ask(prose, { ...COOPERATIVE, omitNames: 1 })).every((s) => s.name === undefined)).toBe(true);
    expect(parse(ask(prose, { ...COOPERATIVE, inventCompany: 1 })).length).toBe(4);
    expect(() => JSON.parse(ask(prose, { ...COOPERATIVE, cutOff: 1 }))).toThrow();
    expect(ask(prose, { ...COOPERATIVE, think: 1 })).toMatch(/^<think>[\s\S]*<\/think>\n\{/);
  });
});
