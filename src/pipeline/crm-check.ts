import {
  CRM_NAMES,
  decisiveRecord,
  keepsOut,
  type CrmDirectory,
  type CrmHidden,
  type CrmMark,
  type CrmRecord,
} from '../domain/crm-holdings.js';
import type { EnrichedCompany, Lead } from '../domain/types.js';
import { domainOf } from '../domain/url.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';

/** How long a run waits for its CRMs before it goes on without them (with a warning). */
export const CRM_LOOKUP_BUDGET_MS = 10_000;

/** What the CRMs said about a run's companies: who stays, who is left out (and why), and the marks of the rest. */
export interface CrmCheck {
  kept: EnrichedCompany[];
  hidden: CrmHidden[];
  /** By registrable domain: the mark a shown lead gets ("in HubSpot: lead"). */
  marks: ReadonlyMap<string, CrmMark>;
  warnings: string[];
}

/**
 * Asks every configured CRM, in one batched look-up each, which of the companies it holds; customers and companies
 * with an open deal are left out, the others keep a mark. A CRM that does not answer (in time) costs a warning, never
 * the run.
 */
export async function checkCrm(
  companies: readonly EnrichedCompany[],
  directories: readonly CrmDirectory[],
  ctx: { scope: string; fresh: boolean; signal?: AbortSignal; logger: Pick<Logger, 'warn'> },
  budgetMs = CRM_LOOKUP_BUDGET_MS,
): Promise<CrmCheck> {
  const domainOfCompany = (company: EnrichedCompany) =>
    company.website ? (domainOf(company.website.value) ?? null) : null;
  const domains = [...new Set(companies.map(domainOfCompany).filter((d): d is string => d !== null))];
  if (directories.length === 0 || domains.length === 0)
    return { kept: [...companies], hidden: [], marks: new Map(), warnings: [] };
  const warnings: string[] = [];
  const answers = await Promise.all(
    directories.map(async (directory): Promise<CrmRecord[]> => {
      const budget = AbortSignal.timeout(budgetMs);
      const signal = ctx.signal ? AbortSignal.any([ctx.signal, budget]) : budget;
      try {
        return await directory.lookup(domains, { scope: ctx.scope, fresh: ctx.fresh, signal });
      } catch (error) {
        if (ctx.signal?.aborted) throw error;
        const name = CRM_NAMES[directory.system];
        const why = budget.aborted ? `no answer within ${budgetMs / 1000} s` : describeError(error);
        ctx.logger.warn({ crm: directory.system, err: why }, 'CRM look-up failed; the run goes on without it');
        warnings.push(
          `Could not ask ${name} which companies it already holds (${why}), so some of them may be listed.`,
        );
        return [];
      }
    }),
  );
  const byDomain = new Map<string, CrmRecord[]>();
  for (const record of answers.flat()) byDomain.set(record.domain, [...(byDomain.get(record.domain) ?? []), record]);
  const kept: EnrichedCompany[] = [];
  const hidden: CrmHidden[] = [];
  const marks = new Map<string, CrmMark>();
  for (const company of companies) {
    const domain = domainOfCompany(company);
    const record = domain ? decisiveRecord(byDomain.get(domain) ?? []) : undefined;
    if (record && keepsOut(record)) {
      if (!hidden.some((h) => h.domain === record.domain)) hidden.push({ ...record, name: company.name });
      continue;
    }
    if (record && domain) marks.set(domain, { system: record.system, label: record.label, url: record.url });
    kept.push(company);
  }
  return { kept, hidden, marks, warnings };
}

/** The leads with their CRM marks (by registrable domain); leads the CRM does not hold are returned unchanged. */
export function withCrmMarks(leads: readonly Lead[], marks: ReadonlyMap<string, CrmMark>): Lead[] {
  if (marks.size === 0) return [...leads];
  return leads.map((lead) => {
    const domain = lead.website ? domainOf(lead.website) : undefined;
    const mark = domain ? marks.get(domain) : undefined;
    return mark ? { ...lead, crm: mark } : lead;
  });
}
