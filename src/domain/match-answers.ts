import { companyKey } from './grounding.js';

// A model's per-company answers arrive misnumbered, reordered, repeated, renamed or missing. This decides, once
// for every agent, which entry (if any) answers which company the prompt asked about.

/** A company as the prompt numbered it. */
export interface AskedCompany {
  id: number;
  name: string;
}

/** The part of an answer entry matching reads: the id and the echoed name, in whatever form the model wrote them. */
export interface AnswerEntry {
  id?: unknown;
  name?: unknown;
}

/**
 * Which entry answers which asked company (keyed by the asked id). An echoed name decides over the id: an entry
 * whose name is none of the asked companies answers nobody, even with a valid id. Without a name the id decides,
 * after a consistent 0-based numbering is shifted back. The first entry for a company wins over repeats.
 */
export function matchAnswers<E extends AnswerEntry>(
  asked: readonly AskedCompany[],
  entries: readonly E[],
): Map<number, E> {
  const byId = new Map(asked.map((company) => [company.id, company]));
  const keys = asked.map((company) => ({ company, key: companyKey(company.name) }));
  const read = entries.map((entry) => {
    const name = typeof entry.name === 'string' && entry.name.trim().length >= 2 ? entry.name : undefined;
    return {
      entry,
      id: parseId(entry.id),
      named: name === undefined ? undefined : (namedCompany(keys, companyKey(name)) ?? null),
    };
  });
  const shift = zeroBasedShift(asked, read);
  const matched = new Map<number, E>();
  for (const { entry, id, named } of read) {
    // null: a name was given and it is nobody we asked about (an invented company, another batch's company).
    if (named === null) continue;
    const target = named ?? (id === undefined ? undefined : byId.get(id + shift));
    if (target && !matched.has(target.id)) matched.set(target.id, entry);
  }
  return matched;
}

/** 3, "3", "#3", "Company 3" → 3; anything else is no id. */
export function parseId(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(?:company\s*)?#?\s*(\d{1,4})\s*$/i.exec(value);
  return match ? Number(match[1]) : undefined;
}

function namedCompany(keys: readonly { company: AskedCompany; key: string }[], key: string): AskedCompany | undefined {
  if (key.length < 2) return undefined;
  const exact = keys.filter((k) => k.key === key);
  if (exact.length === 1) return exact[0]?.company;
  if (exact.length > 1) return undefined;
  // "Harbor Auto" for "Harbor Auto Holdings" (or the reverse): accepted only when exactly one company fits.
  const partial = keys.filter((k) => k.key.startsWith(`${key} `) || key.startsWith(`${k.key} `));
  return partial.length === 1 ? partial[0]?.company : undefined;
}

/**
 * 1 when the model numbered from 0 consistently, else 0. With echoed names the pairs of (id, named company) must
 * all agree on the offset; without names the ids must be exactly a 0-based run (0 present, none past the last).
 */
function zeroBasedShift(
  asked: readonly AskedCompany[],
  read: readonly { id?: number; named?: AskedCompany | null }[],
): number {
  const ids = read.map((r) => r.id).filter((id): id is number => id !== undefined);
  if (ids.length === 0) return 0;
  const pairs = read.filter((r): r is { id: number; named: AskedCompany } => r.id !== undefined && !!r.named);
  if (pairs.length > 0) return pairs.every((p) => p.named.id - p.id === 1) ? 1 : 0;
  const askedIds = new Set(asked.map((a) => a.id));
  const zeroBased = ids.includes(0) && ids.every((id) => askedIds.has(id + 1));
  return zeroBased ? 1 : 0;
}
