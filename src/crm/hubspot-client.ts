import { z } from 'zod';
import { chunk } from '../domain/collections.js';
import { identityOf, type CompanyIdentity } from '../domain/feedback.js';
import type { Lead } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { createHubspotHttp, HubspotError, type HubspotRequest } from './hubspot-http.js';
import { leadNoteBody } from './note-body.js';

/** HubSpot's default association type from a note to a company. */
const NOTE_TO_COMPANY = 190;
const BATCH_LIMIT = 100;
const SEARCH_VALUES_LIMIT = 100;
/** HubSpot's search index lags a few seconds behind creation; companies created this recently are remembered here. */
const REMEMBER_CREATED_MS = 10 * 60 * 1000;

export interface HubspotClientOptions {
  token: string;
  apiUrl: string;
  /** Internal name of a number property on companies that gets the fit score (HUBSPOT_SCORE_PROPERTY). */
  scoreProperty?: string;
  logger: Pick<Logger, 'warn' | 'debug' | 'info'>;
  /** A 429 asking to wait longer than this is reported rather than waited out. */
  maxRetryWaitMs?: number;
  now?: () => Date;
}

/** One lead as it ended up in HubSpot. */
export interface PushedCompany {
  lead: string;
  companyId: string;
  /** The company's record in HubSpot's web app, when the account's details could be read. */
  url?: string;
  action: 'created' | 'updated';
}

/** What "Send to HubSpot" did; `notesError` says why notes are missing when the companies are there. */
export interface PushOutcome {
  companies: PushedCompany[];
  notesAdded: number;
  notesError?: string;
}

/** Sends leads to HubSpot as companies with a note each. */
export interface HubspotClient {
  sendLeads(
    input: { leads: readonly Lead[]; request: string; runId: string },
    signal?: AbortSignal,
  ): Promise<PushOutcome>;
}

const companySchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string().optional(),
});
const searchSchema = z.object({ total: z.number().optional(), results: z.array(companySchema) });
const batchSchema = z.object({ results: z.array(companySchema) });
const accountSchema = z.object({ portalId: z.number(), uiDomain: z.string().optional() });

type HubspotCompany = z.infer<typeof companySchema>;

/** The REST API directly (the official client's current major needs Node 22): search by domain, batch upsert, notes. */
export function createHubspotClient(options: HubspotClientOptions): HubspotClient {
  const request = createHubspotHttp({
    token: options.token,
    apiUrl: options.apiUrl,
    logger: options.logger,
    maxRetryWaitMs: options.maxRetryWaitMs,
  });
  const now = options.now ?? (() => new Date());
  let recordBase: Promise<string | undefined> | undefined;
  // Two sends at once (a double click) would both miss the other's new companies: sends go one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const created = new Map<string, { company: HubspotCompany; at: number }>();

  const recentlyCreated = (): HubspotCompany[] => {
    const cutoff = Date.now() - REMEMBER_CREATED_MS;
    for (const [key, entry] of created) if (entry.at < cutoff) created.delete(key);
    return [...created.values()].map((entry) => entry.company);
  };

  return {
    sendLeads(input, signal) {
      const next = queue.then(() => send(input, signal));
      queue = next.catch(() => undefined);
      return next;
    },
  };

  async function send(
    input: { leads: readonly Lead[]; request: string; runId: string },
    signal?: AbortSignal,
  ): Promise<PushOutcome> {
    // The account's record links are read once; a failed read is tried again on the next send.
    recordBase ??= accountRecordBase(request, options.logger, signal);
    const base = await recordBase.catch((error: unknown) => {
      recordBase = undefined;
      throw error;
    });
    if (base === undefined) recordBase = undefined;
    const pushed = await upsertCompanies(input.leads, signal);
    const companies: PushedCompany[] = input.leads.flatMap((lead) => {
      const entry = pushed.get(lead);
      return entry
        ? [
            {
              lead: lead.name,
              companyId: entry.company.id,
              action: entry.action,
              ...(base ? { url: `${base}${entry.company.id}` } : {}),
            },
          ]
        : [];
    });
    const at = now();
    const notes = input.leads.flatMap((lead) => {
      const entry = pushed.get(lead);
      if (!entry) return [];
      const properties = {
        hs_timestamp: at.toISOString(),
        hs_note_body: leadNoteBody(lead, { request: input.request, runId: input.runId, at }),
      };
      return [
        {
          properties,
          associations: [
            {
              to: { id: entry.company.id },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_TO_COMPANY }],
            },
          ],
        },
      ];
    });
    try {
      for (const batch of chunk(notes, BATCH_LIMIT))
        await request('POST', '/crm/v3/objects/notes/batch/create', { inputs: batch }, signal);
      return { companies, notesAdded: notes.length };
    } catch (error) {
      // The companies are in HubSpot already; the thread says so, and why the notes are not.
      if (!(error instanceof HubspotError)) throw error;
      options.logger.warn(
        { runId: input.runId, err: error.message },
        'HubSpot notes failed after the companies were sent',
      );
      return { companies, notesAdded: 0, notesError: error.message };
    }
  }

  /** Each lead's company: an existing one found by domain (blank fields filled, score set) or a new one. */
  async function upsertCompanies(
    input: readonly Lead[],
    signal?: AbortSignal,
  ): Promise<Map<Lead, { company: HubspotCompany; action: 'created' | 'updated' }>> {
    const leads = input.map((lead) => ({ lead, id: identityOf(lead) }));
    const found = [
      ...(await findCompanies(
        request,
        leads.map((l) => l.id),
        signal,
      )),
      ...recentlyCreated(),
    ];
    const pushed = new Map<Lead, { company: HubspotCompany; action: 'created' | 'updated' }>();
    const updates = leads.flatMap(({ lead, id }) => {
      const company = matchCompany(found, id);
      if (!company) return [];
      pushed.set(lead, { company, action: 'updated' });
      const properties = fillBlanks(company, lead, options.scoreProperty);
      return Object.keys(properties).length > 0 ? [{ id: company.id, properties }] : [];
    });
    for (const batch of chunk(updates, BATCH_LIMIT))
      await request('POST', '/crm/v3/objects/companies/batch/update', { inputs: batch }, signal);

    const missing = leads.filter(({ lead }) => !pushed.has(lead));
    for (const batch of chunk(missing, BATCH_LIMIT)) {
      const inputs = batch.map(({ lead, id }) => ({ properties: newCompany(lead, id, options.scoreProperty) }));
      const answer = batchSchema.parse(
        await request('POST', '/crm/v3/objects/companies/batch/create', { inputs }, signal),
      );
      // Batch results are not in the inputs' order: each is matched back by its domain, or its name.
      for (const { lead, id } of batch) {
        const company = matchCompany(answer.results, id);
        if (!company) continue;
        pushed.set(lead, { company, action: 'created' });
        created.set(id.domain ?? `name:${id.name.toLowerCase()}`, { company, at: Date.now() });
      }
    }
    return pushed;
  }
}

/** Existing companies with any of these domains (www. or not) or, for leads without a website, these names. */
async function findCompanies(
  request: HubspotRequest,
  ids: readonly CompanyIdentity[],
  signal?: AbortSignal,
): Promise<HubspotCompany[]> {
  const domains = [...new Set(ids.flatMap((id) => (id.domain ? [id.domain, `www.${id.domain}`] : [])))];
  const names = [...new Set(ids.filter((id) => !id.domain).map((id) => id.name))];
  const found: HubspotCompany[] = [];
  for (const [property, values] of [
    ['domain', domains],
    ['name', names],
  ] as const) {
    for (const batch of chunk(values, SEARCH_VALUES_LIMIT)) {
      const answer = searchSchema.parse(
        await request(
          'POST',
          '/crm/v3/objects/companies/search',
          {
            filterGroups: [{ filters: [{ propertyName: property, operator: 'IN', values: batch }] }],
            properties: ['name', 'domain', 'website'],
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

/** "https://app.hubspot.com/contacts/<portal>/record/0-2/" for links to company records; undefined if unreadable. */
async function accountRecordBase(
  request: HubspotRequest,
  logger: Pick<Logger, 'warn'>,
  signal?: AbortSignal,
): Promise<string | undefined> {
  try {
    const account = accountSchema.parse(await request('GET', '/account-info/v3/details', undefined, signal));
    return `https://${account.uiDomain ?? 'app.hubspot.com'}/contacts/${account.portalId}/record/0-2/`;
  } catch (error) {
    // A bad token is the answer to the whole send; anything else only costs the links.
    if (error instanceof HubspotError && (error.kind === 'auth' || error.kind === 'rate_limited')) throw error;
    logger.warn(
      { err: (error as Error).message },
      'could not read the HubSpot account details; the summary will have no links',
    );
    return undefined;
  }
}
