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
}

type Kind = 'intent' | 'queries' | 'extraction' | 'enrichment' | 'scoring' | 'unknown';

export function schemaKind(format: unknown): Kind {
  const props = (format as { properties?: Record<string, { items?: { properties?: Record<string, unknown> } }> })?.properties ?? {};
  if (props.intent) return 'intent';
  if (props.queries) return 'queries';
  if (props.scores) return 'scoring';
  const item = props.companies?.items?.properties ?? {};
  if ('resultIds' in item) return 'extraction';
  if ('headquarters' in item) return 'enrichment';
  return 'unknown';
}

/** Answers one chat request as a careful, terse 8B model would. */
export function fakeBrain(options: BrainOptions = {}) {
  return (request: BrainRequest): object => {
    const prompt = request.messages.find((m) => m.role === 'user')?.content ?? '';
    switch (schemaKind(request.format)) {
      case 'intent':
        return answerIntent(prompt);
      case 'queries':
        return answerQueries(prompt);
      case 'extraction':
        return answerExtraction(prompt, options);
      case 'enrichment':
        return answerEnrichment(prompt);
      case 'scoring':
        return answerScoring(prompt, options);
      default:
        return {};
    }
  };
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
  const results = [...prompt.matchAll(/\[R(\d+)\] ([^\n]*)\n([^\n]*)/g)].map((m) => ({ id: Number(m[1]), text: `${m[2]} ${m[3]}` }));
  const max = Number(/at most (\d+) companies/.exec(prompt)?.[1] ?? 20);
  const found: { name: string; resultIds: number[] }[] = [];
  for (const company of FAKE_COMPANIES) {
    const written = [...company.variants, company.name].find((name) => results.some((r) => r.text.includes(name)));
    if (!written) continue;
    // Like a real model, it sometimes lists a competitor or the searcher itself; grounding must remove them.
    found.push({ name: written, resultIds: results.filter((r) => r.text.includes(company.name)).map((r) => r.id) });
  }
  const answer = found.slice(0, max);
  if (options.inventCompany) answer.push({ name: options.inventCompany, resultIds: [1] });
  return { companies: answer };
}

function answerEnrichment(prompt: string): object {
  const blocks = prompt.split(/\n(?=Company \d+: )/).filter((b) => b.startsWith('Company '));
  return {
    companies: blocks.map((block) => {
      const id = Number(/^Company (\d+):/.exec(block)?.[1]);
      const company = findCompany(/^Company \d+: (.+)$/m.exec(block)?.[1] ?? '');
      const sources = [...block.matchAll(/\[S(\d+)\] (\S+)\n([^\n]*)/g)].map((m) => ({ id: Number(m[1]), url: m[2] as string, text: m[3] as string }));
      const cite = (value: string | undefined, test: (s: { url: string; text: string }) => boolean) => {
        const source = sources.find(test);
        return value && source ? { value, source: source.id } : null;
      };
      if (!company) return { id, website: null, headquarters: null, size: null, industry: null, description: null };
      return {
        id,
        website: cite(`https://${company.domain}`, (s) => s.url.includes(company.domain)),
        headquarters: cite(company.headquarters, (s) => s.text.includes(company.headquarters)),
        size: cite(company.size, (s) => s.text.includes(company.size)),
        industry: cite(company.industry, (s) => s.text.includes(company.industry)),
        description: cite(company.description, (s) => s.text.includes(company.description)),
      };
    }),
  };
}

function answerScoring(prompt: string, options: BrainOptions): object {
  const entries = [...prompt.matchAll(/^Company (\d+): (.+)$/gm)];
  return {
    scores: entries.map((m) => {
      const company: FakeCompany | undefined = findCompany(m[2] as string);
      const fit = options.fixedScore ?? company?.fit ?? 20;
      const guided = /Guidance from the sales person/.test(prompt) && company?.signal.includes('acquired') ? 10 : 0;
      return {
        id: Number(m[1]),
        fitScore: Math.min(100, fit + guided),
        rationale: company
          ? `${company.name} ${company.signal}; with ${company.size} based in ${company.headquarters} it matches the ideal profile.`
          : 'Little evidence of fit in the data provided.',
      };
    }),
  };
}
