import { z } from 'zod';
import { companyKey } from './grounding.js';
import { domainOf } from './url.js';

// A sales team's marks on leads, and what they mean for the next run: some companies are kept out of it, and the
// latest judgements steer the scoring. Pure rules; the store and the front ends only apply them.

export const feedbackKinds = ['good_fit', 'not_a_fit', 'already_customer', 'wrong_info'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];

/** What each mark is called wherever people see it. */
export const FEEDBACK_LABELS: Record<FeedbackKind, string> = {
  good_fit: 'Good fit',
  not_a_fit: 'Not a fit',
  already_customer: 'Already a customer',
  wrong_info: 'Wrong company info',
};

/** How many of the team's latest judgements the scoring prompt sees. */
export const MAX_PREFERENCES = 20;
/** Longest reason kept with a mark; a reason is a short note, not an essay. */
export const MAX_REASON_CHARS = 200;

/** How a company is recognised across runs: its registrable domain when it has a website, else its name key. */
export const companyIdentitySchema = z.object({
  name: z.string().describe('The company as the lead named it'),
  key: z.string().describe('Normalised name, used when there is no website'),
  domain: z.string().nullable().describe('Registrable domain of its website'),
});
export type CompanyIdentity = z.infer<typeof companyIdentitySchema>;

/** One mark, as stored per workspace: who said what about which company, when, on which run. */
export const feedbackEntrySchema = z.object({
  id: z.string().min(1),
  scope: z.string().min(1),
  kind: z.enum(feedbackKinds),
  company: companyIdentitySchema,
  /** What the company looked like when it was marked ("Franchised dealer group · 6 rooftops · Dallas, Texas"). */
  facts: z.string(),
  reason: z.string().max(MAX_REASON_CHARS).optional(),
  runId: z.string(),
  channelId: z.string(),
  userId: z.string(),
  at: z.string(),
});
export type FeedbackEntry = z.infer<typeof feedbackEntrySchema>;

/** A judgement the scoring prompt carries as this team's preference. */
export const teamPreferenceSchema = z.object({
  verdict: z.enum(['good_fit', 'not_a_fit']),
  name: z.string(),
  facts: z.string(),
  reason: z.string().optional(),
});
export type TeamPreference = z.infer<typeof teamPreferenceSchema>;

/** A company the team's feedback keeps out of runs, with the mark that did it. */
export const hiddenCompanySchema = companyIdentitySchema.extend({
  kind: z.enum(feedbackKinds),
  userId: z.string(),
  at: z.string(),
  entryId: z.string(),
});
export type HiddenCompany = z.infer<typeof hiddenCompanySchema>;

/** What a run knows of its team: who to leave out and what they liked. Passed in with the request, never global. */
export const teamContextSchema = z.object({
  preferences: z.array(teamPreferenceSchema),
  hidden: z.array(hiddenCompanySchema),
});
export type TeamContext = z.infer<typeof teamContextSchema>;

/** True for the marks that keep a company out of later runs. */
export function hidesCompany(kind: FeedbackKind): boolean {
  return kind === 'already_customer' || kind === 'not_a_fit';
}

/** The identity of anything with a name and maybe a website (a lead, an enriched company). */
export function identityOf(company: { name: string; website: string | null | undefined }): CompanyIdentity {
  const domain = company.website ? (domainOf(company.website) ?? null) : null;
  return { name: company.name, key: companyKey(company.name), domain };
}

/** Two identities are one company when their domains match, or, lacking a domain on either side, their name keys. */
export function sameCompany(
  a: Pick<CompanyIdentity, 'key' | 'domain'>,
  b: Pick<CompanyIdentity, 'key' | 'domain'>,
): boolean {
  if (a.domain && b.domain) return a.domain === b.domain;
  return a.key !== '' && a.key === b.key;
}

/** The team's current view: each company's latest mark counts; an undone mark simply is no longer there. */
export function teamContextFrom(entries: readonly FeedbackEntry[]): TeamContext {
  const latest = latestPerCompany(entries);
  const preferences = latest
    .filter(
      (entry): entry is FeedbackEntry & { kind: 'good_fit' | 'not_a_fit' } =>
        entry.kind === 'good_fit' || entry.kind === 'not_a_fit',
    )
    .slice(0, MAX_PREFERENCES)
    .map((entry) => ({
      verdict: entry.kind,
      name: entry.company.name,
      facts: entry.facts,
      ...(entry.reason ? { reason: entry.reason } : {}),
    }));
  const hidden = latest
    .filter((entry) => hidesCompany(entry.kind))
    .map((entry) => ({ ...entry.company, kind: entry.kind, userId: entry.userId, at: entry.at, entryId: entry.id }));
  return { preferences, hidden };
}

/** Newest first, one entry per company. */
export function latestPerCompany(entries: readonly FeedbackEntry[]): FeedbackEntry[] {
  const newestFirst = [...entries].sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
  const kept: FeedbackEntry[] = [];
  for (const entry of newestFirst) if (!kept.some((k) => sameCompany(k.company, entry.company))) kept.push(entry);
  return kept;
}

/** Splits companies into those a run may show and those the team's feedback hides (each with the mark that hides it). */
export function partitionHidden<T>(
  items: readonly T[],
  identity: (item: T) => CompanyIdentity,
  hidden: readonly HiddenCompany[],
): { kept: T[]; hidden: HiddenCompany[] } {
  const kept: T[] = [];
  const matched: HiddenCompany[] = [];
  for (const item of items) {
    const id = identity(item);
    const mark = hidden.find((h) => sameCompany(h, id));
    if (!mark) kept.push(item);
    else if (!matched.some((m) => m.entryId === mark.entryId)) matched.push({ ...mark, name: id.name });
  }
  return { kept, hidden: matched };
}

/** "Franchised dealer group · 6 rooftops · Dallas, Texas": what a mark remembers of the company, short. */
export function describeCompanyFacts(lead: {
  industry: string | null;
  size: string | null;
  headquarters: string | null;
}): string {
  return [lead.industry, lead.size, lead.headquarters]
    .filter((part): part is string => Boolean(part && part.trim()))
    .map((part) => part.replace(/\s+/g, ' ').trim().slice(0, 80))
    .join(' · ');
}

/** A short, stable reference to a lead of a run (its name and website), for a button value that must stay small. */
export function leadRef(lead: { name: string; website: string | null }): string {
  let hash = 2166136261;
  for (const ch of `${lead.name}|${lead.website ?? ''}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  return hash.toString(36);
}
