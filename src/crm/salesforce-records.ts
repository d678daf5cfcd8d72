import { z } from 'zod';
import { chunk } from '../domain/collections.js';
import type { CompanyIdentity } from '../domain/feedback.js';
import { domainOf } from '../domain/url.js';
import type { SalesforceRequest } from './salesforce-http.js';

// Reading Salesforce: SOQL built from escaped values, answers checked with zod, pages followed.

/** An Account as Leads reads it: enough to match it to a lead, tell a customer or an open deal, and link to it. */
export interface SalesforceAccount {
  id: string;
  name: string;
  website: string | null;
  /** The Account's Type picklist ("Prospect", "Customer - Direct", …). */
  type: string | null;
  /** At least one Opportunity of the account is not closed. */
  openDeal: boolean;
  createdDate: string;
}

/** Domains per SOQL query: 30 `Website LIKE` conditions keep the query far below Salesforce's length limit. */
const DOMAINS_PER_QUERY = 30;
const MAX_PAGES = 10;

const accountRecord = z.object({
  Id: z.string(),
  Name: z.string().nullable(),
  Website: z.string().nullable().optional(),
  Type: z.string().nullable().optional(),
  CreatedDate: z.string().nullable().optional(),
  Opportunities: z.object({ totalSize: z.number() }).nullable().optional(),
});
const taskRecord = z.object({ Id: z.string(), WhatId: z.string().nullable() });

const page = <T extends z.ZodType>(record: T) =>
  z.object({ done: z.boolean(), nextRecordsUrl: z.string().optional(), records: z.array(record) });

/** A SOQL string literal: backslashes and quotes escaped. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A SOQL LIKE pattern matching `value` anywhere: quotes and backslashes escaped, and its own % and _ too. */
export function soqlContains(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/[%_]/g, (c) => `\\${c}`);
  return `'%${escaped}%'`;
}

/** Runs a query and follows its pages (a bounded number), each checked against `record`. */
export async function query<T extends z.ZodType>(
  request: SalesforceRequest,
  soql: string,
  record: T,
  signal?: AbortSignal,
): Promise<z.infer<T>[]> {
  const schema = page(record);
  const records: z.infer<T>[] = [];
  let answer = schema.parse(await request('GET', `/query?q=${encodeURIComponent(soql)}`, undefined, signal));
  records.push(...answer.records);
  for (let pages = 1; !answer.done && answer.nextRecordsUrl && pages < MAX_PAGES; pages += 1) {
    answer = schema.parse(await request('GET', answer.nextRecordsUrl, undefined, signal));
    records.push(...answer.records);
  }
  return records;
}

/** Accounts whose Website has one of these domains, or (for companies without a website) whose Name is one of these. */
export async function findAccounts(
  request: SalesforceRequest,
  ids: readonly CompanyIdentity[],
  signal?: AbortSignal,
): Promise<SalesforceAccount[]> {
  const fields =
    'SELECT Id, Name, Website, Type, CreatedDate, (SELECT Id FROM Opportunities WHERE IsClosed = false LIMIT 1) FROM Account';
  const domains = [...new Set(ids.flatMap((id) => (id.domain ? [id.domain] : [])))];
  const names = [...new Set(ids.filter((id) => !id.domain).map((id) => id.name))];
  const found: SalesforceAccount[] = [];
  for (const batch of chunk(domains, DOMAINS_PER_QUERY)) {
    const where = batch.map((domain) => `Website LIKE ${soqlContains(domain)}`).join(' OR ');
    const rows = await query(request, `${fields} WHERE ${where}`, accountRecord, signal);
    // LIKE '%harbor.com%' also matches notharbor.com: only the same registrable domain counts.
    found.push(...rows.map(toAccount).filter((a) => a.website && batch.includes(domainOf(a.website) ?? '')));
  }
  for (const batch of chunk(names, DOMAINS_PER_QUERY)) {
    const rows = await query(
      request,
      `${fields} WHERE Name IN (${batch.map(soqlString).join(', ')})`,
      accountRecord,
      signal,
    );
    found.push(...rows.map(toAccount));
  }
  return found;
}

/** The oldest account with the company's domain (an org may hold duplicates already), or with its name. */
export function matchAccount(
  accounts: readonly SalesforceAccount[],
  id: CompanyIdentity,
): SalesforceAccount | undefined {
  const matches = accounts.filter((account) =>
    id.domain
      ? account.website !== null && domainOf(account.website) === id.domain
      : account.name.toLowerCase() === id.name.toLowerCase(),
  );
  return matches.sort((a, b) => a.createdDate.localeCompare(b.createdDate) || a.id.localeCompare(b.id))[0];
}

/** The accounts (by id) that already have a task whose subject carries this marker. */
export async function accountsWithTask(
  request: SalesforceRequest,
  accountIds: readonly string[],
  marker: string,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const held = new Set<string>();
  for (const batch of chunk([...new Set(accountIds)], 100)) {
    const soql = `SELECT Id, WhatId FROM Task WHERE WhatId IN (${batch.map(soqlString).join(', ')}) AND Subject LIKE ${soqlContains(marker)}`;
    for (const task of await query(request, soql, taskRecord, signal)) if (task.WhatId) held.add(task.WhatId);
  }
  return held;
}

function toAccount(row: z.infer<typeof accountRecord>): SalesforceAccount {
  return {
    id: row.Id,
    name: row.Name ?? '',
    website: row.Website ?? null,
    type: row.Type ?? null,
    openDeal: (row.Opportunities?.totalSize ?? 0) > 0,
    createdDate: row.CreatedDate ?? '',
  };
}
