import { z } from 'zod';

// What the team's CRM already holds of a run's candidates. Customers and companies with an open deal are not new
// leads, so a run leaves them out (and says how many); the others are shown with a mark naming the CRM's stage and
// linking to the record. The CRMs themselves (HubSpot, Salesforce) sit behind `CrmDirectory`.

export const crmSystems = ['hubspot', 'salesforce'] as const;
export type CrmSystem = (typeof crmSystems)[number];

/** How each CRM is named wherever people read it. */
export const CRM_NAMES: Record<CrmSystem, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/** A company a CRM holds, as one record of it answers for a registrable domain. */
export const crmRecordSchema = z.object({
  system: z.enum(crmSystems),
  domain: z.string().describe('The registrable domain the record was found by'),
  name: z.string().describe('The company as the CRM names it'),
  standing: z
    .enum(['customer', 'open_deal', 'other'])
    .describe('customer and open_deal keep the company out of new leads; other is shown with a mark'),
  label: z.string().describe('The CRM’s own word for where the company stands ("lead", "Prospect")'),
  url: z.string().nullable().describe('The record in the CRM’s web app'),
});
export type CrmRecord = z.infer<typeof crmRecordSchema>;

/** The mark a shown lead carries when the CRM holds it: "in HubSpot: lead", linking to the record. */
export const crmMarkSchema = z.object({
  system: z.enum(crmSystems),
  label: z.string(),
  url: z.string().nullable(),
});
export type CrmMark = z.infer<typeof crmMarkSchema>;

/** A candidate a run left out because a CRM holds it as a customer or with an open deal. */
export const crmHiddenSchema = crmRecordSchema.extend({ name: z.string().describe('The company as the run found it') });
export type CrmHidden = z.infer<typeof crmHiddenSchema>;

/** One CRM's answer to "which of these domains do you hold?"; implemented in src/crm, used by the scoring stage. */
export interface CrmDirectory {
  readonly system: CrmSystem;
  /** Every record the CRM holds for these registrable domains (batched by the implementation). Throws when the CRM
   * does not answer; the run then goes on with a warning. `scope` keys the brief per-workspace cache. */
  lookup(
    domains: readonly string[],
    options: { scope: string; fresh?: boolean; signal?: AbortSignal },
  ): Promise<CrmRecord[]>;
}

/** Which record decides about a company held several times (or by two CRMs): a customer over an open deal over the rest. */
export function decisiveRecord(records: readonly CrmRecord[]): CrmRecord | undefined {
  const rank = { customer: 0, open_deal: 1, other: 2 } as const;
  return [...records].sort((a, b) => rank[a.standing] - rank[b.standing])[0];
}

/** True for a record that keeps its company out of new leads. */
export function keepsOut(record: CrmRecord): boolean {
  return record.standing === 'customer' || record.standing === 'open_deal';
}

/** "4 already in HubSpot", "2 already in HubSpot and 1 in Salesforce": what a run left out, in a few words. */
export function describeCrmHidden(hidden: readonly Pick<CrmHidden, 'system'>[]): string {
  const counts = crmSystems
    .map((system) => ({ system, count: hidden.filter((h) => h.system === system).length }))
    .filter((c) => c.count > 0);
  return counts.map((c, index) => `${c.count} ${index === 0 ? 'already ' : ''}in ${CRM_NAMES[c.system]}`).join(' and ');
}

/** "in HubSpot: lead": a shown lead's mark in words. */
export function describeCrmMark(mark: CrmMark): string {
  return `in ${CRM_NAMES[mark.system]}: ${mark.label}`;
}
