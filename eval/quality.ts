// The quality figures of one evaluation level, from what each run showed and what the fake model proposed.
import { statesPlace, statesQuantity } from '../src/domain/fact-forms.js';
import type { LeadsDocument, StoredRun } from '../src/domain/types.js';
import { domainOf } from '../src/domain/url.js';
import type { WantedKind } from '../test/fakes/fake-world.js';
import type { ModelLog } from '../test/fakes/misbehaving-model.js';
import { TRUTH, type TruthCompany } from '../test/fixtures/eval/companies.js';
import { phrasings } from './eval-world.js';

/** Counters summed over a level's runs. */
export interface Tally {
  runs: number;
  failedRuns: number;
  leads: number;
  rightKind: number;
  invented: number;
  competitorLeaks: number;
  withoutRationale: number;
  fields: Record<
    'website' | 'headquarters' | 'size',
    { shown: number; correct: number; known: number; shownOfKnown: number }
  >;
  trueFacts: number;
  trueKept: number;
  falseFacts: number;
  falseKept: number;
  /** Recall@30: true companies of the kind asked for among a run's 30 candidates, and how many could be. */
  recallFound: number;
  recallPossible: number;
}

export function emptyTally(): Tally {
  const field = () => ({ shown: 0, correct: 0, known: 0, shownOfKnown: 0 });
  return {
    runs: 0,
    failedRuns: 0,
    leads: 0,
    rightKind: 0,
    invented: 0,
    competitorLeaks: 0,
    withoutRationale: 0,
    fields: { website: field(), headquarters: field(), size: field() },
    trueFacts: 0,
    trueKept: 0,
    falseFacts: 0,
    falseKept: 0,
    recallFound: 0,
    recallPossible: 0,
  };
}

const slug = (name: string) =>
  name
    .replace(/,?\s+(inc|llc|ltd|corp|co)\.?$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
function truthOf(name: string): TruthCompany | undefined {
  return TRUTH.find((c) => [c.name, ...c.variants].some((n) => slug(n) === slug(name)));
}

/** Adds one finished run: its shown leads and, for every fact the model proposed, whether the pipeline kept it. */
export function addRun(
  tally: Tally,
  doc: LeadsDocument,
  stored: StoredRun | undefined,
  log: ModelLog,
  wanted: WantedKind,
): void {
  tally.runs += 1;
  addRecall(tally, stored?.candidates?.map((c) => c.name) ?? [], wanted);
  for (const lead of doc.leads) {
    tally.leads += 1;
    const truth = truthOf(lead.name);
    if (!truth) tally.invented += 1;
    if (truth && (truth.kind === 'competitor' || truth.kind === 'self')) tally.competitorLeaks += 1;
    if (truth && (wanted === 'both' ? truth.kind === 'customer' || truth.kind === 'partner' : truth.kind === wanted))
      tally.rightKind += 1;
    if (lead.rationale.trim() === '') tally.withoutRationale += 1;
    const facts = truth ? phrasings(truth) : { hq: [], size: [] };
    field(tally, 'website', lead.website, !!truth?.domain, (v) => domainOf(v) === truth?.domain);
    field(tally, 'headquarters', lead.headquarters, facts.hq.length > 0, (v) =>
      facts.hq.some((p) => statesPlace(v, p)),
    );
    field(tally, 'size', lead.size, facts.size.length > 0, (v) => facts.size.some((p) => statesQuantity(v, p)));
  }
  // Each distinct proposal counts once (a re-ask may propose the same fact again).
  const seen = new Set<string>();
  for (const fact of log.facts) {
    if (fact.field === 'web') continue;
    const key = `${fact.company}|${fact.field}|${fact.value}|${fact.truth}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const company = stored?.enrichment?.find((c) => c.name === fact.company);
    if (!company) continue;
    const kept =
      (fact.field === 'hq' ? company.headquarters : fact.field === 'size' ? company.size : company.industry)?.value ===
      fact.value;
    if (fact.truth === 'true') {
      tally.trueFacts += 1;
      if (kept) tally.trueKept += 1;
    } else {
      tally.falseFacts += 1;
      if (kept) tally.falseKept += 1;
    }
  }
}

const RECALL_AT = 30;
const isWanted = (c: TruthCompany, wanted: WantedKind) =>
  wanted === 'both' ? c.kind === 'customer' || c.kind === 'partner' : c.kind === wanted;

/** Recall@30: the corpus's true companies of the wanted kind among the first 30 candidates, out of min(30, all). */
function addRecall(tally: Tally, candidates: readonly string[], wanted: WantedKind): void {
  const relevant = TRUTH.filter((c) => isWanted(c, wanted));
  const found = new Set(
    candidates
      .slice(0, RECALL_AT)
      .map(truthOf)
      .filter((c): c is TruthCompany => !!c && isWanted(c, wanted)),
  );
  tally.recallFound += found.size;
  tally.recallPossible += Math.min(RECALL_AT, relevant.length);
}

function field(
  tally: Tally,
  name: keyof Tally['fields'],
  value: string | null,
  known: boolean,
  correct: (value: string) => boolean,
): void {
  const f = tally.fields[name];
  if (known) f.known += 1;
  if (value === null) return;
  f.shown += 1;
  if (known) f.shownOfKnown += 1;
  if (correct(value)) f.correct += 1;
}

/** The figures of a level, as shares from 0 to 1 and counts. */
export function figures(t: Tally) {
  const share = (part: number, whole: number) => (whole === 0 ? null : Number((part / whole).toFixed(3)));
  const accuracy = (f: Tally['fields']['website']) => ({
    correctAmongShown: share(f.correct, f.shown),
    shownAmongKnown: share(f.shownOfKnown, f.known),
  });
  return {
    runs: t.runs,
    failedRuns: t.failedRuns,
    leads: t.leads,
    leadPrecision: share(t.rightKind, t.leads),
    recallAt30: share(t.recallFound, t.recallPossible),
    website: accuracy(t.fields.website),
    headquarters: accuracy(t.fields.headquarters),
    size: accuracy(t.fields.size),
    trueFactsKept: share(t.trueKept, t.trueFacts),
    falseFactsKept: share(t.falseKept, t.falseFacts),
    inventedCompanyRate: share(t.invented, t.leads),
    competitorLeaks: t.competitorLeaks,
    leadsWithoutRationale: t.withoutRationale,
  };
}

export type Figures = ReturnType<typeof figures>;
