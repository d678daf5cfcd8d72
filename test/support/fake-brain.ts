// The fake LLM's "mind": answers every pipeline prompt with JSON valid for the requested schema and
// grounded in the prompt (it only names companies the prompt contains), so the pipeline does real work.
import { FAKE_COMPANIES, findCompany, type FakeCompany } from './fake-web.js';

export interface BrainRequest {
  messages: { role: string; content: string }[];
  format?: unknown;
}

export interface BrainOptions {
  /** Adds a company that is in no search result, to prove grounding drops it. */
  inventCompany?: string;
  /** Score every company this much, whatever the data (for tests of score bounds). */
  fixedScore?: number;
  /** Sees each well-formed answer and may return a broken one (a string is sent as the raw content). */
  corrupt?: (kind: BrainKind, answer: object, request: BrainRequest) => string | object;
}

export type BrainKind = 'intent' | 'queries' | 'extraction' | 'enrichment' | 'screening' | 'scoring' | 'unknown';

type SchemaNode = { type?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode };

/** Which pipeline question a request asks, read from the JSON schema in its `format`. */
export function schemaKind(format: unknown): BrainKind {
  const props = (format as SchemaNode)?.properties ?? {};
  if (props.intent) return 'intent';
  if (props.queries) return 'queries';
  const scoreItem = props.scores?.items?.properties ?? {};
  if ('fit' in scoreItem) return 'screening';
  if ('rationale' in scoreItem) return 'scoring';
  const companyItem = props.companies?.items;
  if (companyItem?.type === 'string') return 'extraction';
  if (companyItem?.properties && 'hq' in companyItem.properties) return 'enrichment';
  return 'unknown';
}

/** Answers one chat request as a careful, terse 8B model would. */
export function fakeBrain(options: BrainOptions = {}) {
  return (request: BrainRequest): string | object => {
    const kind = schemaKind(request.format);
    const answer = answerFor(kind, request, options);
    return options.corrupt ? options.corrupt(kind, answer, request) : answer;
  };
}

function answerFor(kind: BrainKind, request: BrainRequest, options: BrainOptions): object {
  const prompt = request.messages.find((m) => m.role === 'user')?.content ?? '';
  switch (kind) {
    case 'intent':
      return answerIntent(prompt);
    case 'queries':
      return answerQueries(prompt);
    case 'extraction':
      return answerExtraction(prompt, options);
    case 'enrichment':
      return answerEnrichment(prompt);
    case 'screening':
      return answerScoring(prompt, options, false);
    case 'scoring':
      return answerScoring(prompt, options, true);
    default:
      return {};
  }
}

function requestText(prompt: string): string {
  return /<data label="request">\n([\s\S]*?)\n<\/data>/.exec(prompt)?.[1] ?? prompt;
}

function answerIntent(prompt: string): object {
  const text = requestText(prompt).toLowerCase();
  const partner = /partner|integrat|vendor|lender/.test(text);
  const customer = /customer|sell to|buy|dealer group|dealers/.test(text);
  const region = /\bin ([A-Z][a-z]+(?: [A-Z][a-z]+)?)/.exec(requestText(prompt))?.[1] ?? null;
  return {
    intent: partner && customer ? 'both' : partner ? 'partner' : 'customer',
    confidence: 0.82,
    constraints: { region, segment: /rv\b/.test(text) ? 'RV dealers' : null, size: null, count: null, notes: null },
  };
}

function answerQueries(prompt: string): object {
  const text = requestText(prompt).replace(/[^\w\s]/g, ' ').replace(/\s+/g, ' ').trim();
  const topics = ['dealer groups', 'franchised dealers', 'acquisitions', 'new rooftops', 'DMS replacement', 'digital retail', 'service scheduling', 'multi-brand dealer group', 'largest dealerships'];
  return { queries: topics.map((topic) => `${topic} ${text}`.slice(0, 90)) };
}

function answerExtraction(prompt: string, options: BrainOptions): object {
  const results = [...prompt.matchAll(/\[R(\d+)\] ([^\n]*)\n([^\n]*)/g)].map((m) => `${m[2]} ${m[3]}`);
  const max = Number(/at most (\d+) companies/.exec(prompt)?.[1] ?? 20);
  const found: string[] = [];
  const listed = new Set<FakeCompany>();
  // In the order the results name them, as a model reading top to bottom would. Like a real model, it also
  // lists competitors and the searcher itself when the results name them; grounding must remove them.
  for (const text of results) {
    const named = FAKE_COMPANIES.map((company) => ({ company, at: firstMention(text, company) }))
      .filter((entry) => entry.at.index >= 0 && !listed.has(entry.company))
      .sort((a, b) => a.at.index - b.at.index);
    for (const { company, at } of named) {
      listed.add(company);
      found.push(at.name);
    }
  }
  const answer = found.slice(0, max);
  if (options.inventCompany) answer.push(options.inventCompany);
  return { companies: answer };
}

function firstMention(text: string, company: FakeCompany): { index: number; name: string } {
  for (const name of [...company.variants, company.name]) {
    const index = text.indexOf(name);
    if (index >= 0) return { index, name };
  }
  return { index: -1, name: company.name };
}

function answerEnrichment(prompt: string): object {
  const blocks = prompt.split(/\n(?=Company \d+\n)/).filter((b) => b.startsWith('Company '));
  return {
    companies: blocks.map((block) => {
      const id = Number(/^Company (\d+)\n/.exec(block)?.[1]);
      const company = findCompany(/^Name: (.+)$/m.exec(block)?.[1] ?? '');
      const sources = [...block.matchAll(/\[S(\d+)\] (\S+)\n([^\n]*)/g)].map((m) => ({ id: Number(m[1]), url: m[2] as string, text: m[3] as string }));
      const cite = (value: string | undefined, test: (s: { url: string; text: string }) => boolean) => {
        const source = sources.find(test);
        return value && source ? { v: value, s: source.id } : null;
      };
      if (!company) return { id, web: null, hq: null, size: null, industry: null };
      return {
        id,
        web: cite(company.domain, (s) => s.url.includes(company.domain)),
        hq: cite(company.headquarters, (s) => s.text.includes(company.headquarters)),
        size: cite(company.size, (s) => s.text.includes(company.size)),
        industry: cite(company.industry, (s) => s.text.includes(company.industry)),
      };
    }),
  };
}

function answerScoring(prompt: string, options: BrainOptions, explain: boolean): object {
  const entries = [...prompt.matchAll(/^Company (\d+)\n<data label="[^"]*">\nName: (.+)$/gm)];
  return {
    scores: entries.map((m) => {
      const company: FakeCompany | undefined = findCompany(m[2] as string);
      const wantsPartners = /We want potential partners/.test(prompt);
      const wrongKind = company && (wantsPartners ? company.kind === 'customer' : /We want potential customers \(/.test(prompt) && company.kind === 'partner');
      const fit = options.fixedScore ?? Math.max(0, (company?.fit ?? 20) - (wrongKind ? 50 : 0));
      const guided = /Guidance from the sales person/.test(prompt) && company?.signal.includes('acquired') ? 10 : 0;
      const score = Math.min(100, fit + guided);
      if (!explain) return { id: Number(m[1]), fit: score };
      return {
        id: Number(m[1]),
        fitScore: score,
        rationale: company
          ? `${company.name} ${company.signal}; with ${company.size} based in ${company.headquarters} it matches the ideal profile.`
          : 'Little evidence of fit in the data provided.',
      };
    }),
  };
}
