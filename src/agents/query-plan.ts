import { z } from 'zod';
import { askModel, type AgentContext } from './agent-context.js';
import type { CompanyProfile } from '../domain/company-profile.js';
import type { IntentResult, IntentKind } from '../domain/types.js';
import { QUERY_SYSTEM, queryPrompt } from './prompts/research-prompt.js';

export const MIN_QUERIES = 8;
export const MAX_QUERIES = 10;

const queriesSchema = z.object({
  queries: z
    .array(z.string().describe('A web search query of 3 to 10 words'))
    .describe(`Between ${MIN_QUERIES} and ${MAX_QUERIES} distinct web search queries`),
});

/**
 * Search queries for a request. A request with no constraints gets queries straight from the profile
 * (no LLM call, and the same queries every time, so the cache works); constraints go to the model.
 */
export async function planQueries(intent: IntentResult, requestText: string, ctx: AgentContext): Promise<string[]> {
  const fromProfile = profileQueries(intent.intent, ctx.profile);
  if (!hasConstraints(intent)) return fromProfile;
  const answer = await askModel(ctx, {
    agent: 'research.queries',
    system: QUERY_SYSTEM,
    prompt: queryPrompt(intent, requestText, ctx.profile),
    schema: queriesSchema,
    schemaName: 'queries',
    maxOutputTokens: 400,
  });
  const written = uniqueQueries(
    answer.queries.map((q) => q.replace(/\s+/g, ' ').trim()).filter((q) => q.length >= 3 && q.length <= 200),
  );
  // A model that writes too few queries is topped up from the profile, focused by the request's region.
  const region = intent.constraints.region ? ` ${intent.constraints.region}` : '';
  return uniqueQueries([...written, ...fromProfile.map((q) => `${q}${region}`)]).slice(0, MAX_QUERIES);
}

function hasConstraints(intent: IntentResult): boolean {
  const { count: _count, ...rest } = intent.constraints;
  return Object.values(rest).some((value) => typeof value === 'string' && value.trim() !== '');
}

/** Queries built from the profile alone: segments by market, segments by fit signal, partner types. */
export function profileQueries(intent: IntentKind, profile: CompanyProfile): string[] {
  const customers = customerQueries(profile);
  const partners = partnerQueries(profile);
  if (intent === 'customer') return customers.slice(0, MAX_QUERIES);
  if (intent === 'partner') return partners.slice(0, MAX_QUERIES);
  const mixed: string[] = [];
  for (let i = 0; mixed.length < MAX_QUERIES && (i < customers.length || i < partners.length); i++) {
    if (customers[i]) mixed.push(customers[i] as string);
    if (partners[i] && mixed.length < MAX_QUERIES) mixed.push(partners[i] as string);
  }
  return mixed;
}

function customerQueries(profile: CompanyProfile): string[] {
  const [primary, ...otherPrimary] = profile.idealCustomers.primary.map(shortSegment);
  const markets = profile.company.markets;
  const queries: string[] = [];
  for (const market of markets) queries.push(`${primary} ${market}`);
  for (const segment of otherPrimary) queries.push(`${segment} ${markets[0]}`);
  for (const signal of profile.idealCustomers.fitSignals) queries.push(`${primary} ${shortSegment(signal)}`);
  for (const segment of profile.idealCustomers.secondary.map(shortSegment)) queries.push(`${segment} ${markets[0]}`);
  return uniqueQueries(queries);
}

function partnerQueries(profile: CompanyProfile): string[] {
  const keywords = profile.company.searchKeywords;
  return uniqueQueries(profile.partnersSought.map((kind) => `${shortSegment(kind)} for ${keywords}`));
}

/** "Franchised new-vehicle dealer groups with 5 to 250 rooftops" → "franchised new-vehicle dealer groups". */
function shortSegment(text: string): string {
  return text
    .replace(/\(.*?\)/g, '')
    .split(/\s+with\s+|[,;:]/i)[0]!
    .trim()
    .toLowerCase();
}

function uniqueQueries(queries: string[]): string[] {
  const seen = new Set<string>();
  return queries.filter((query) => {
    const key = query.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
