// The ways a small local model gets structured answers wrong, as seeded switches, and three named levels.

/** Each switch is a probability from 0 to 1 (per answer or per entry, as noted). */
export interface Misbehaviour {
  /** Per answer: ids counted from 0. */
  zeroBasedIds: number;
  /** Per answer: ids written as strings ("3"). */
  stringIds: number;
  /** Per answer: entries in reverse order. */
  reversed: number;
  /** Per answer: entries without the echoed name. */
  omitNames: number;
  /** Per entry: left out. */
  dropEntries: number;
  /** Per entry: repeated, the repeat with different values. */
  duplicateEntries: number;
  /** Per entry of an explain answer: a score far from the one the screen gave. */
  explainDisagrees: number;
  /** Per entry of an explain answer: an empty rationale. */
  emptyRationale: number;
  /** Per entry of an explain answer: a rationale written about another company of the batch. */
  wrongCompanyRationale: number;
  /** Per answer: an extra entry (or extracted name) for a company that is not in the prompt. */
  inventCompany: number;
  /** Per answer: the JSON cut off part-way. */
  cutOff: number;
  /** Per answer: a <think>…</think> preamble before the JSON. */
  think: number;
  /** Per fact: a wrong value (another place, another number) citing one of the company's sources. */
  falseFacts: number;
  /** Per enrichment entry: the facts of another company of the batch, with that company's source numbers. */
  wrongCompanyFacts: number;
  /** Per fact: the value in canonical form ("Duluth, Georgia") rather than as the page writes it ("Duluth, GA"). */
  canonicalFacts: number;
  /** Per screen/explain entry: noise added to the fit, up to this many points either way (not a probability). */
  scoreNoise: number;
}

export type MisbehaviourLevel = 'clean' | 'typical' | 'hostile';

const NONE: Misbehaviour = {
  zeroBasedIds: 0,
  stringIds: 0,
  reversed: 0,
  omitNames: 0,
  dropEntries: 0,
  duplicateEntries: 0,
  explainDisagrees: 0,
  emptyRationale: 0,
  wrongCompanyRationale: 0,
  inventCompany: 0,
  cutOff: 0,
  think: 0,
  falseFacts: 0,
  wrongCompanyFacts: 0,
  canonicalFacts: 0,
  scoreNoise: 0,
};

/** clean: a careful model. typical: a local 8B model on a normal day. hostile: everything at once, often. */
export const LEVELS: Record<MisbehaviourLevel, Misbehaviour> = {
  clean: NONE,
  typical: {
    zeroBasedIds: 0.15,
    stringIds: 0.1,
    reversed: 0.15,
    omitNames: 0.1,
    dropEntries: 0.05,
    duplicateEntries: 0.05,
    explainDisagrees: 0.3,
    emptyRationale: 0.05,
    wrongCompanyRationale: 0.05,
    inventCompany: 0.1,
    cutOff: 0.05,
    think: 0.1,
    falseFacts: 0.1,
    wrongCompanyFacts: 0.05,
    canonicalFacts: 0.3,
    scoreNoise: 8,
  },
  hostile: {
    zeroBasedIds: 0.4,
    stringIds: 0.3,
    reversed: 0.4,
    omitNames: 0.3,
    dropEntries: 0.2,
    duplicateEntries: 0.15,
    explainDisagrees: 0.7,
    emptyRationale: 0.2,
    wrongCompanyRationale: 0.15,
    inventCompany: 0.4,
    cutOff: 0.2,
    think: 0.4,
    falseFacts: 0.3,
    wrongCompanyFacts: 0.15,
    canonicalFacts: 0.5,
    scoreNoise: 20,
  },
};

/** No misbehaviour at all: the cooperative model the older tests were written against. */
export const COOPERATIVE: Misbehaviour = NONE;

/** A small seeded generator (mulberry32): the same seed and prompt give the same answer. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn a seed and a request into a generator seed. */
export function hashText(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}
