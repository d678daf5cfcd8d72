// The two failures users reported against a real model, as fake-model settings every surface's test can reuse.
import type { ModelOptions } from '../fakes/misbehaving-model.js';

type Entry = Record<string, unknown>;
type Corrupt = NonNullable<ModelOptions['corrupt']>;

/** The explain pass scores every company 50 points below the screen, as a differently worded call often does. */
export const explainScoresLower: Corrupt = (kind, answer) =>
  kind === 'scoring'
    ? {
        scores: (answer as { scores: Entry[] }).scores.map((s) => ({
          ...s,
          fitScore: Math.max(0, (s.fitScore as number) - 50),
        })),
      }
    : answer;

/** Explain answers that leave out half the companies (every other one), as malformed-then-retried answers did. */
export const explainSkipsHalf: Corrupt = (kind, answer) =>
  kind === 'scoring' ? { scores: (answer as { scores: Entry[] }).scores.filter((_, i) => i % 2 === 0) } : answer;

/** Per-company answers numbered in the model's own way (100, 101, …), with no name to match them by. */
export const idsNotFromThePrompt: Corrupt = (kind, answer) => {
  if (kind !== 'enrichment' && kind !== 'screening' && kind !== 'scoring') return answer;
  const key = kind === 'enrichment' ? 'companies' : 'scores';
  const entries = (answer as Record<string, Entry[]>)[key] ?? [];
  return { [key]: entries.map(({ name: _name, ...rest }, i) => ({ ...rest, id: 100 + i })) };
};

/** Only the first `keep` rationales of the whole run are usable; every later one comes back empty. */
export function onlyFirstReasons(keep: number): Corrupt {
  let given = 0;
  return (kind, answer) => {
    if (kind !== 'scoring') return answer;
    return {
      scores: (answer as { scores: Entry[] }).scores.map((s) => (given++ < keep ? s : { ...s, rationale: '' })),
    };
  };
}
