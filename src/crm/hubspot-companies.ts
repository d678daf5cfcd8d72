import { z } from 'zod';
import { chunk, unique } from '../domain/collections.js';
import { identityOf, type CompanyIdentity } from '../domain/feedback.js';
import type { Lead } from '../domain/types.js';
import { createOnce } from './create-once.js';
import { HubspotError, type HubspotRequest } from './hubspot-http.js';

/**
 * The company property Leads keys its companies on: the registrable domain ("harborauto.com"), or "name:<key>" for a
 * company without a website. Its values are unique (HubSpot refuses a second company with the same one), and a read
 * by it is not a search, so it sees a company the moment it is written, where HubSpot's search index lags seconds.
 * Leads creates it on the first send.
 */
export const KEY_PROPERTY = 'leads_company_key';
const BATCH_LIMIT = 100;

const companySchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string().optional(),
});
const resultsSchema = z.object({ results: z.array(companySchema) });

export type HubspotCompany = z.infer<typeof companySchema>;

/** One lead's company as the send left it; `created` includes a company whose create answer was lost. */
export interface UpsertedCompany {
  company: HubspotCompany;
  action: 'created' | 'updated';
}

export interface UpsertOutcome {
  pushed: Map<Lead, UpsertedCompany>;
  /** Leads HubSpot may or may not hold: a create went unanswered and HubSpot could not be asked since. */
  unconfirmed: Lead[];
  error?: unknown;
}

/** The key property's value for a company. */
export function keyOf(id: CompanyIdentity): string {
  return id.domain ?? `name:${id.key}`;
}

/** Creates the key property unless the portal has it (HubSpot answers 409 then). */
export async function ensureKeyProperty(request: HubspotRequest, signal?: AbortSignal): Promise<void> {
  try {
    await request(
      'POST',
      '/crm/v3/properties/companies',
      {
        name: KEY_PROPERTY,
        label: 'Leads company key',
        description:
          'Set by Leads: the company’s web domain (or name), so that sending leads again never creates it twice. Do not edit.',
        groupName: 'companyinformation',
        type: 'string',
        fieldType: 'text',
        hasUniqueValue: true,
      },
      signal,
    );
  } catch (error) {
    if (error instanceof HubspotError && error.kind === 'conflict') return;
    if (error instanceof HubspotError && error.kind === 'missing_scopes')
      throw new HubspotError(
        'missing_scopes',
        `Leads needs its own company property "${KEY_PROPERTY}" (unique values) to never create a company twice. Give the private app the scope crm.schemas.companies.write, or create the property by hand (Settings → Properties → Company properties: single-line text, "Require unique values").`,
        undefined,
        { cause: error },
      );
    throw error;
  }
}

/**
 * Each lead's company in HubSpot: the one Leads keyed earlier, else an existing one found by domain (or name) whose
 * blank fields are filled and which gets the key, else a new one, created at most once (create-once.ts).
 */
export async function upsertCompanies(
  request: HubspotRequest,
  leads: readonly Lead[],
  options: { scoreProperty?: string; signal?: AbortSignal; findDelayMs?: number },
): Promise<UpsertOutcome> {
  const { signal, scoreProperty } = options;
  const ids = new Map(leads.map((lead) => [lead, identityOf(lead)]));
  const key = (lead: Lead) => keyOf(ids.get(lead)!);
  const pushed = new Map<Lead, UpsertedCompany>();

  const keyed = await readByKey(request, unique(leads.map(key)), signal);
  const unkeyed = leads.filter((lead) => !keyed.has(key(lead)));
  const existing =
    unkeyed.length > 0
      ? await searchExisting(
          request,
          unkeyed.map((l) => ids.get(l)!),
          signal,
        )
      : [];
  const updates: { id: string; properties: Record<string, string> }[] = [];
  const updated = new Set<string>();
  for (const lead of leads) {
    const company = keyed.get(key(lead)) ?? matchCompany(existing, ids.get(lead)!);
    if (!company) continue;
    pushed.set(lead, { company, action: 'updated' });
    // Two leads of one list can be one company (a domain and its www.); it is updated once.
    if (updated.has(company.id)) continue;
    updated.add(company.id);
    const properties = fillBlanks(company, lead, scoreProperty);
    if (!company.properties[KEY_PROPERTY]) properties[KEY_PROPERTY] = key(lead);
    if (Object.keys(properties).length > 0) updates.push({ id: company.id, properties });
  }
  // An update sets the same values however often it is sent, so it may be repeated.
  for (const batch of chunk(updates, BATCH_LIMIT))
    await request('POST', '/crm/v3/objects/companies/batch/update', { inputs: batch }, signal);

  // One new company per key, even when two leads of the list share it.
  const missing = new Map<string, Lead>();
  for (const lead of leads) if (!pushed.has(lead) && !missing.has(key(lead))) missing.set(key(lead), lead);
  const unconfirmed: Lead[] = [];
  let error: unknown;
  for (const batch of chunk([...missing.keys()], BATCH_LIMIT)) {
    const result = await createOnce<string, HubspotCompany>(
      batch,
      {
        async create(keys) {
          const inputs = keys.map((k) => ({
            properties: { ...newCompany(missing.get(k)!, ids.get(missing.get(k)!)!, scoreProperty), [KEY_PROPERTY]: k },
          }));
          const answer = resultsSchema.parse(
            await request('POST', '/crm/v3/objects/companies/batch/create', { inputs }, signal, 'create'),
          );
          // Batch results are not in the inputs' order: each is matched back by its key.
          return new Map(answer.results.map((c) => [c.properties[KEY_PROPERTY] ?? '', c]));
        },
        find: (keys) => readByKey(request, keys, signal),
        outcomeUnknown: (failure) => failure instanceof HubspotError && failure.outcomeUnknown,
      },
      { signal, ...(options.findDelayMs !== undefined ? { findDelayMs: options.findDelayMs } : {}) },
    );
    for (const [k, company] of [...result.created, ...result.found])
      pushed.set(missing.get(k)!, { company, action: 'created' });
    unconfirmed.push(...result.unconfirmed.map((k) => missing.get(k)!));
    error ??= result.error;
  }
  // Leads sharing a key with one just created or found point at that company too.
  for (const lead of leads) {
    if (pushed.has(lead)) continue;
    const twin = missing.get(key(lead));
    const entry = twin && pushed.get(twin);
    if (entry) pushed.set(lead, entry);
  }
  return { pushed, unconfirmed, ...(error !== undefined ? { error } : {}) };
}

/** Companies holding these key values, read by the unique property (consistent at once, unlike search). */
async function readByKey(
  request: HubspotRequest,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, HubspotCompany>> {
  const found = new Map<string, HubspotCompany>();
  for (const batch of chunk(keys, BATCH_LIMIT)) {
    // HubSpot answers 207 with an error entry for keys no company holds; the results are the ones that exist.
    const answer = resultsSchema.parse(
      await request(
        'POST',
        '/crm/v3/objects/companies/batch/read',
        {
          idProperty: KEY_PROPERTY,
          inputs: batch.map((id) => ({ id })),
          properties: ['name', 'domain', 'website', KEY_PROPERTY],
        },
        signal,
      ),
    );
    for (const company of answer.results) {
      const value = company.properties[KEY_PROPERTY];
      if (value) found.set(value, company);
    }
  }
  return found;
}

/** Existing companies with any of these domains (www. or not) or, for leads without a website, these names. */
async function searchExisting(
  request: HubspotRequest,
  ids: readonly CompanyIdentity[],
  signal?: AbortSignal,
): Promise<HubspotCompany[]> {
  const domains = unique(ids.flatMap((id) => (id.domain ? [id.domain, `www.${id.domain}`] : [])));
  const names = unique(ids.filter((id) => !id.domain).map((id) => id.name));
  const found: HubspotCompany[] = [];
  for (const [property, values] of [
    ['domain', domains],
    ['name', names],
  ] as const) {
    for (const batch of chunk(values, BATCH_LIMIT)) {
      const answer = resultsSchema.parse(
        await request(
          'POST',
          '/crm/v3/objects/companies/search',
          {
            filterGroups: [{ filters: [{ propertyName: property, operator: 'IN', values: batch }] }],
            properties: ['name', 'domain', 'website', KEY_PROPERTY],
            limit: 100,
          },
          signal,
        ),
      );
      found.push(...answer.results);
    }
  }
  return found;
}

/** The oldest company with the lead's domain (a portal may already hold duplicates), or with its name. */
function matchCompany(companies: readonly HubspotCompany[], id: CompanyIdentity): HubspotCompany | undefined {
  const matches = companies.filter((c) => {
    const domain = (c.properties.domain ?? '').toLowerCase().replace(/^www\./, '');
    if (id.domain) return domain === id.domain;
    return (c.properties.name ?? '').toLowerCase() === id.name.toLowerCase();
  });
  return matches.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || Number(a.id) - Number(b.id))[0];
}

function newCompany(lead: Lead, id: CompanyIdentity, scoreProperty?: string): Record<string, string> {
  return {
    name: lead.name,
    ...(id.domain ? { domain: id.domain } : {}),
    ...(lead.website ? { website: lead.website } : {}),
    ...(scoreProperty ? { [scoreProperty]: String(Math.round(lead.fitScore)) } : {}),
  };
}

/** What an existing company gets: the score, and our facts only where its own fields are empty (a person's edits win). */
function fillBlanks(company: HubspotCompany, lead: Lead, scoreProperty?: string): Record<string, string> {
  const properties: Record<string, string> = {};
  if (!company.properties.name) properties.name = lead.name;
  if (!company.properties.website && lead.website) properties.website = lead.website;
  if (scoreProperty) properties[scoreProperty] = String(Math.round(lead.fitScore));
  return properties;
}
