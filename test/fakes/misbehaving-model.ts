// A fake language model for the whole pipeline: it answers every agent's schema from the structured content of
// the prompt (data blocks, ids, source and result markers) and what it knows of a fake world, and misbehaves on a
// seed the way small local models do: misnumbered, reordered, dropped, repeated and invented entries, scores that
// disagree between passes, empty or misplaced rationales, false facts, answers cut off mid-JSON, <think> preambles.
import type { FakeChatRequest, FakeRespond } from './fake-ollama.js';
import { fitFor, wantedKind, type FactField, type FakeWorld, type WorldCompany } from './fake-world.js';
import { COOPERATIVE, hashText, seededRandom, type Misbehaviour } from './misbehaviour.js';
import { headquartersIn, tasteAdjustment } from './team-taste.js';
import {
  asksForNames,
  blockText,
  guidanceText,
  promptCompanies,
  promptPages,
  promptResults,
  questionKind,
  type PromptCompany,
  type QuestionKind,
} from './prompt-structure.js';

export interface ModelOptions {
  world: FakeWorld;
  misbehaviour?: Misbehaviour;
  seed?: number;
  /** A name the extraction answer always adds, though no result names it. */
  inventCompany?: string;
  /** Every company gets this fit, whatever the data (for tests of score bounds). */
  fixedScore?: number;
  /** Sees each well-formed answer before any misbehaviour and may return a broken one (a string is sent as is). */
  corrupt?: (kind: QuestionKind, answer: object, request: FakeChatRequest) => string | object;
}

/** What the model proposed, with the truth of it, so tests and the eval can judge what the pipeline kept. */
export interface ModelLog {
  facts: { company: string; field: 'web' | FactField; value: string; truth: 'true' | 'false' }[];
  /** Every explain entry, under the company it was written for (by prompt name). */
  explanations: { company: string; fitScore: number; rationale: string; aboutOther: boolean }[];
  invented: string[];
}

export interface MisbehavingModel {
  respond: FakeRespond;
  log: ModelLog;
  /** Changes the seed or the misbehaviour between runs on one shared server. */
  configure(change: { seed?: number; misbehaviour?: Misbehaviour }): void;
  /** Empties the log (between runs). */
  resetLog(): void;
}

const INVENTED = [
  'Phantom Motors Group',
  'Imaginary Auto Partners',
  'Mirage Dealer Holdings',
  'Nowhere Automotive Group',
];

type Rng = () => number;
type Entry = Record<string, unknown>;

/** Starts a model over a world; pass `respond` to startFakeOllama. */
export function misbehavingModel(options: ModelOptions): MisbehavingModel {
  let seed = options.seed ?? 1;
  let m = options.misbehaviour ?? COOPERATIVE;
  const log: ModelLog = { facts: [], explanations: [], invented: [] };
  const world = options.world;
  // What an entry proposed is logged only once the entry is really delivered (not dropped, not cut off).
  const pending = new Map<Entry, ModelLog>();
  const note = (entry: Entry) => {
    let entryLog = pending.get(entry);
    if (!entryLog) pending.set(entry, (entryLog = { facts: [], explanations: [], invented: [] }));
    return entryLog;
  };
  let delivered: Entry[] = [];

  function respond(request: FakeChatRequest): string | object {
    const rng = seededRandom(hashText(`${seed}|${request.messages.map((msg) => msg.content).join('|')}`));
    pending.clear();
    delivered = [];
    const chance = (p: number) => p > 0 && rng() < p;
    const prompt = request.messages.find((msg) => msg.role === 'user')?.content ?? '';
    const kind = questionKind(request.format);
    const named = asksForNames(request.format);
    let answer: object;
    switch (kind) {
      case 'intent':
        answer = answerIntent(blockText(prompt, 'request') ?? '');
        break;
      case 'queries':
        answer = answerQueries(blockText(prompt, 'request') ?? '');
        break;
      case 'extraction':
        answer = { companies: extractNames(prompt, rng, chance) };
        break;
      case 'enrichment':
        answer = { companies: misnumber(enrich(prompt, rng, chance), prompt, rng, chance, named, 'enrichment') };
        break;
      case 'screening':
      case 'scoring':
        answer = {
          scores: misnumber(score(prompt, kind === 'scoring', rng, chance), prompt, rng, chance, named, kind),
        };
        break;
      default:
        answer = {};
    }
    const corrupted = options.corrupt ? options.corrupt(kind, answer, request) : answer;
    let text = typeof corrupted === 'string' ? corrupted : JSON.stringify(corrupted);
    const cut = kind !== 'intent' && kind !== 'queries' && chance(m.cutOff) && text.length > 20;
    if (cut) text = text.slice(0, Math.floor(text.length * (0.3 + rng() * 0.6)));
    else if (typeof corrupted !== 'string') {
      for (const entry of delivered) {
        const entryLog = pending.get(entry);
        if (!entryLog) continue;
        log.facts.push(...entryLog.facts);
        log.explanations.push(...entryLog.explanations);
      }
    }
    if (chance(m.think))
      text = `<think>The answer needs one entry per company, e.g. {"id": 1}. Let me check the data.</think>\n${text}`;
    return text;
  }

  function extractNames(prompt: string, rng: Rng, chance: (p: number) => boolean): string[] {
    const seen = new Set<WorldCompany>();
    const names: string[] = [];
    // Top to bottom, as a model reads. Like a real model it also lists competitors and the searcher itself when the
    // results name them; grounding must remove those.
    for (const result of [...promptResults(prompt), ...promptPages(prompt)]) {
      for (const { company, written } of world.mentionsIn(result.text)) {
        if (seen.has(company)) continue;
        seen.add(company);
        if (chance(m.dropEntries)) continue;
        names.push(written);
      }
    }
    if (options.inventCompany) names.push(options.inventCompany);
    if (chance(m.inventCompany)) {
      const invented = INVENTED[Math.floor(rng() * INVENTED.length)] as string;
      log.invented.push(invented);
      names.splice(Math.floor(rng() * (names.length + 1)), 0, invented);
    }
    return names;
  }

  function enrich(prompt: string, rng: Rng, chance: (p: number) => boolean): Entry[] {
    const companies = promptCompanies(prompt);
    const found = companies.map((c) => ({ c, truth: world.find(c.name), facts: trueFacts(c) }));
    return found.map(({ c, truth, facts }) => {
      const entry: Entry = { id: c.id, name: c.name, web: null, hq: null, size: null, industry: null };
      if (!truth) return entry;
      const others = found.filter((f) => f.c !== c && f.truth);
      if (others.length > 0 && chance(m.wrongCompanyFacts)) {
        const other = others[Math.floor(rng() * others.length)] as (typeof found)[number];
        for (const [field, fact] of Object.entries(other.facts) as [
          keyof typeof other.facts,
          { v: string; s: number },
        ][]) {
          entry[field] = fact;
          if (!sameFact(truth, other.truth as WorldCompany, field))
            note(entry).facts.push({ company: c.name, field, value: fact.v, truth: 'false' });
        }
        return entry;
      }
      for (const [field, fact] of Object.entries(facts) as [
        keyof typeof facts,
        { v: string; s: number; canonical: string },
      ][]) {
        const source = c.sources[Math.floor(rng() * c.sources.length)];
        if (field !== 'web' && source && chance(m.falseFacts)) {
          const value = falseValue(truth, field, rng);
          if (value) {
            entry[field] = { v: value, s: source.id };
            note(entry).facts.push({ company: c.name, field, value, truth: 'false' });
            continue;
          }
        }
        const value = field !== 'web' && chance(m.canonicalFacts) ? fact.canonical : fact.v;
        entry[field] = { v: value, s: fact.s };
        note(entry).facts.push({ company: c.name, field, value, truth: 'true' });
      }
      return entry;
    });
  }

  /** The facts the company's own sources state, each as the page writes it, with the source that states it. */
  function trueFacts(
    company: PromptCompany,
  ): Partial<Record<'web' | FactField, { v: string; s: number; canonical: string }>> {
    const truth = world.find(company.name);
    if (!truth) return {};
    const out: Partial<Record<'web' | FactField, { v: string; s: number; canonical: string }>> = {};
    const domain = truth.domain;
    const site = domain
      ? company.sources.find((s) => new URL(s.url).hostname.endsWith(domain) || s.text.includes(domain))
      : undefined;
    if (domain && site) out.web = { v: domain, s: site.id, canonical: domain };
    for (const field of ['hq', 'size', 'industry'] as const) {
      const phrasings = truth.facts[field] ?? [];
      for (const source of company.sources) {
        const lower = source.text.toLowerCase();
        const phrasing = phrasings.find((p) => lower.includes(p.toLowerCase()));
        if (phrasing) {
          const at = lower.indexOf(phrasing.toLowerCase());
          out[field] = {
            v: source.text.slice(at, at + phrasing.length),
            s: source.id,
            canonical: phrasings[0] as string,
          };
          break;
        }
      }
    }
    return out;
  }

  function falseValue(truth: WorldCompany, field: FactField, rng: Rng): string | undefined {
    const real = truth.facts[field]?.[0];
    if (field === 'size') {
      const n = Number(/\d[\d,]*/.exec(real ?? '')?.[0]?.replace(/,/g, '') ?? 40);
      return `${n * 3 + 17} ${/employee/i.test(real ?? '') ? 'employees' : 'rooftops'}`;
    }
    const pool = world.companies.map((c) => c.facts[field]?.[0]).filter((v): v is string => !!v && !sameText(v, real));
    return pool[Math.floor(rng() * pool.length)];
  }

  function score(prompt: string, explain: boolean, rng: Rng, chance: (p: number) => boolean): Entry[] {
    const wanted = wantedKind(blockText(prompt, 'request'));
    const guidance = (guidanceText(prompt) ?? '').toLowerCase().match(/[a-z]{5,}/g) ?? [];
    const companies = promptCompanies(prompt);
    const noise = () => Math.round((rng() * 2 - 1) * m.scoreNoise);
    return companies.map((c) => {
      const truth = world.find(c.name);
      const guided = guidance.some((word) => c.body.toLowerCase().includes(word)) ? 12 : 0;
      // The team's marks move companies like the marked ones (same company or same region).
      const taste = tasteAdjustment(prompt, { name: c.name, headquarters: headquartersIn(c.body) });
      let fit = clamp(options.fixedScore ?? fitFor(truth, wanted) + guided + taste + noise());
      if (!explain) return { id: c.id, name: c.name, fit };
      if (chance(m.explainDisagrees)) fit = clamp(fit - 45 + Math.floor(rng() * 70));
      const others = companies.filter((o) => o !== c);
      const aboutOther = others.length > 0 && chance(m.wrongCompanyRationale);
      const subject = aboutOther ? (others[Math.floor(rng() * others.length)] as PromptCompany) : c;
      const rationale = chance(m.emptyRationale) ? '' : rationaleFor(subject);
      const entry: Entry = { id: c.id, name: c.name, fitScore: fit, rationale };
      if (rationale) note(entry).explanations.push({ company: c.name, fitScore: fit, rationale, aboutOther });
      return entry;
    });
  }

  function rationaleFor(company: PromptCompany): string {
    const truth = world.find(company.name);
    const facts = company.body.split('\n')[1]?.split(' | ').slice(1, 3).join(', ') ?? '';
    const signal = truth?.signal ? ` ${truth.signal}` : '';
    return `${company.name}${signal}${facts ? `; ${facts}` : ''}, which fits the profile.`;
  }

  /** Applies the numbering misbehaviour to well-formed entries (ids 1..n, in order, names echoed). */
  function misnumber(
    entries: Entry[],
    prompt: string,
    rng: Rng,
    chance: (p: number) => boolean,
    named: boolean,
    kind: QuestionKind,
  ): Entry[] {
    let out: Entry[] = [];
    for (const entry of entries) {
      if (chance(m.dropEntries)) continue;
      out.push(entry);
      delivered.push(entry);
      if (chance(m.duplicateEntries)) {
        const repeat = { ...entry };
        if (typeof repeat.fit === 'number') repeat.fit = clamp(repeat.fit - 30);
        if (typeof repeat.fitScore === 'number' && typeof repeat.rationale === 'string' && repeat.rationale) {
          const fitScore = clamp(repeat.fitScore - 30);
          const rationale = `${repeat.rationale} On reflection, a weaker fit.`;
          Object.assign(repeat, { fitScore, rationale });
          const original = pending.get(entry)?.explanations[0];
          note(repeat).explanations.push({
            company: String(entry.name),
            fitScore,
            rationale,
            aboutOther: original?.aboutOther ?? false,
          });
        }
        out.push(repeat);
        delivered.push(repeat);
      }
    }
    if (chance(m.inventCompany)) {
      const invented = INVENTED[Math.floor(rng() * INVENTED.length)] as string;
      log.invented.push(invented);
      const facts =
        kind === 'enrichment' ? { web: null, hq: { v: 'Springfield, Ohio', s: 1 }, size: null, industry: null } : {};
      out.push({
        id: promptCompanies(prompt).length + 1,
        name: invented,
        fit: 97,
        fitScore: 97,
        rationale: `${invented} is a perfect fit.`,
        ...facts,
      });
    }
    if (chance(m.reversed)) out = out.reverse();
    const zeroBased = chance(m.zeroBasedIds);
    const asStrings = chance(m.stringIds);
    const noNames = !named || chance(m.omitNames);
    return out.map((entry) => {
      const copy: Entry = { ...entry };
      if (kind !== 'screening') delete copy.fit;
      if (kind !== 'scoring') {
        delete copy.fitScore;
        delete copy.rationale;
      }
      if (zeroBased) copy.id = (copy.id as number) - 1;
      if (asStrings) copy.id = String(copy.id);
      if (noNames) delete copy.name;
      return copy;
    });
  }

  return {
    respond,
    log,
    configure(change) {
      if (change.seed !== undefined) seed = change.seed;
      if (change.misbehaviour) m = change.misbehaviour;
    },
    resetLog() {
      log.facts.length = 0;
      log.explanations.length = 0;
      log.invented.length = 0;
    },
  };
}

function answerIntent(request: string): object {
  const text = request.toLowerCase();
  const region = /\bin ([A-Z][a-z]+(?: [A-Z][a-z]+)?)/.exec(request)?.[1] ?? null;
  return {
    intent: wantedKind(request),
    confidence: 0.82,
    constraints: { region, segment: /\brv\b/.test(text) ? 'RV dealers' : null, size: null, count: null, notes: null },
  };
}

function answerQueries(request: string): object {
  const text = request
    .replace(/[^\w\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const topics = [
    'dealer groups',
    'franchised dealers',
    'acquisitions',
    'new rooftops',
    'DMS replacement',
    'digital retail',
    'service scheduling',
    'multi-brand dealer group',
    'largest dealerships',
  ];
  return { queries: topics.map((topic) => `${topic} ${text}`.slice(0, 90)) };
}

function sameFact(a: WorldCompany, b: WorldCompany, field: 'web' | FactField): boolean {
  if (field === 'web') return a.domain === b.domain;
  return sameText(a.facts[field]?.[0], b.facts[field]?.[0]);
}

function sameText(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

function clamp(n: number): number {
  return Math.max(0, Math.min(100, Math.round(n)));
}
