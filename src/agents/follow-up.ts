// Follow-up searches for a constrained request that found few companies ("dealer groups in Texas"): the queries are
// built from the request's own place and segment (no model call), aimed at the pages that list such companies.
import type { CompanyProfile } from '../domain/company-profile.js';
import type { IntentResult } from '../domain/types.js';

/** Fewer candidates than this after the first pass, for a request with a place or segment, searches again. */
export const FEW_CANDIDATES = 15;
/** Follow-ups start only while research has used less than this much time; their searches get the usual grace. */
export const FOLLOW_UP_BUDGET_MS = 20_000;
export const MAX_FOLLOW_UP_QUERIES = 3;

/** True when a first pass found few companies for a request that names a place or a segment, with time left. */
export function needsFollowUp(intent: IntentResult, candidates: number, elapsedMs: number): boolean {
  const { region, segment } = intent.constraints;
  return !!(region?.trim() || segment?.trim()) && candidates < FEW_CANDIDATES && elapsedMs < FOLLOW_UP_BUDGET_MS;
}

/**
 * "dealer groups in Texas", "largest dealer groups Texas list", "Texas dealer groups directory": the segment the
 * request asks for (or the profile's main one for its kind), in the place it asks for, on list-like pages.
 */
export function followUpQueries(
  intent: IntentResult,
  profile: CompanyProfile,
  alreadyRun: readonly string[],
): string[] {
  const region = intent.constraints.region?.trim();
  const segment = intent.constraints.segment?.trim() || defaultSegment(intent, profile);
  const place = region ? ` in ${region}` : '';
  const queries = [
    `${segment}${place}`,
    `largest ${segment}${region ? ` ${region}` : ''} list`,
    `${region ? `${region} ` : ''}${segment} directory`,
  ];
  const ran = new Set(alreadyRun.map((q) => q.toLowerCase().trim()));
  return [...new Set(queries.map((q) => q.replace(/\s+/g, ' ').trim()))]
    .filter((q) => !ran.has(q.toLowerCase()))
    .slice(0, MAX_FOLLOW_UP_QUERIES);
}

/** "dealer groups" for customers (the profile's first ideal customer, shortened), its first partner type otherwise. */
function defaultSegment(intent: IntentResult, profile: CompanyProfile): string {
  const source = intent.intent === 'partner' ? profile.partnersSought[0] : profile.idealCustomers.primary[0];
  const short = (source ?? 'companies')
    .replace(/\(.*?\)/g, '')
    .split(/\s+with\s+|[,;:]/i)[0]!
    .trim()
    .toLowerCase();
  // "franchised new-vehicle dealer groups" searches better as its last two words.
  const words = short.split(/\s+/);
  return words.length > 3 ? words.slice(-2).join(' ') : short;
}
