import { z } from 'zod';
import { identityOf } from './feedback.js';
import type { Lead } from './types.js';

// A channel's digests remember which companies they have shown, so the next digest posts only new ones and says
// what changed for the companies that return.

/** Fewer points than this is model noise, not news. */
export const SCORE_CHANGE_POINTS = 5;
/** A channel remembers this many companies; the ones seen longest ago are forgotten first. */
export const MAX_REMEMBERED = 500;

const rememberedSchema = z.object({
  name: z.string(),
  website: z.string().nullable(),
  headquarters: z.string().nullable(),
  size: z.string().nullable(),
  industry: z.string().nullable(),
  fitScore: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
});
export type RememberedCompany = z.infer<typeof rememberedSchema>;

/** What one channel's digests have shown, by company identity. */
export const digestMemorySchema = z.object({ companies: z.record(z.string(), rememberedSchema) });
export type DigestMemory = z.infer<typeof digestMemorySchema>;

export const changeFields = ['fitScore', 'size', 'headquarters', 'industry', 'website'] as const;
export type ChangeField = (typeof changeFields)[number];

/** One fact of a returning company that is not what the last digest showed. */
export interface CompanyChange {
  field: ChangeField;
  from: string;
  to: string;
}

/** What a digest posts: companies no earlier digest showed, and returning ones whose facts moved. */
export interface DigestDiff {
  fresh: Lead[];
  changed: { lead: Lead; changes: CompanyChange[]; firstSeen: string }[];
  /** Returning companies with nothing new to say. */
  unchanged: Lead[];
}

/** The empty memory of a channel that has had no digest yet. */
export function emptyDigestMemory(): DigestMemory {
  return { companies: {} };
}

/** Sorts this digest's leads into new, changed and unchanged against what the channel has seen. */
export function diffDigest(leads: readonly Lead[], memory: DigestMemory): DigestDiff {
  const diff: DigestDiff = { fresh: [], changed: [], unchanged: [] };
  for (const lead of leads) {
    const seen = memory.companies[memoryKey(lead)];
    if (!seen) {
      diff.fresh.push(lead);
      continue;
    }
    const changes = changesSince(seen, lead);
    if (changes.length > 0) diff.changed.push({ lead, changes, firstSeen: seen.firstSeen });
    else diff.unchanged.push(lead);
  }
  return diff;
}

/** The memory after a digest showed these leads (all of them: new, changed and unchanged are now "seen"). */
export function rememberDigest(memory: DigestMemory, leads: readonly Lead[], at: string): DigestMemory {
  const companies = { ...memory.companies };
  for (const lead of leads) {
    const key = memoryKey(lead);
    companies[key] = {
      name: lead.name,
      website: lead.website,
      headquarters: lead.headquarters,
      size: lead.size,
      industry: lead.industry,
      fitScore: lead.fitScore,
      firstSeen: companies[key]?.firstSeen ?? at,
      lastSeen: at,
    };
  }
  const kept = Object.entries(companies)
    .sort(([, a], [, b]) => b.lastSeen.localeCompare(a.lastSeen))
    .slice(0, MAX_REMEMBERED);
  return { companies: Object.fromEntries(kept) };
}

function memoryKey(lead: Pick<Lead, 'name' | 'website'>): string {
  const id = identityOf(lead);
  return id.domain ?? `name:${id.key}`;
}

function changesSince(seen: RememberedCompany, lead: Lead): CompanyChange[] {
  const changes: CompanyChange[] = [];
  if (Math.abs(Math.round(lead.fitScore) - Math.round(seen.fitScore)) >= SCORE_CHANGE_POINTS) {
    changes.push({ field: 'fitScore', from: String(Math.round(seen.fitScore)), to: String(Math.round(lead.fitScore)) });
  }
  for (const field of ['size', 'headquarters', 'industry', 'website'] as const) {
    const before = seen[field];
    const now = lead[field];
    // A fact the sources no longer state is not news; a fact that is different is.
    if (before && now && normalise(before) !== normalise(now)) changes.push({ field, from: before, to: now });
  }
  return changes;
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/^https?:\/\/(www\.)?/, '')
    .replace(/[\s/]+$/g, '')
    .replace(/\s+/g, ' ');
}
