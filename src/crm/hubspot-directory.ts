import { z } from 'zod';
import { chunk } from '../domain/collections.js';
import type { CrmDirectory, CrmRecord } from '../domain/crm-holdings.js';
import type { Logger } from '../logger.js';
import { createHubspotHttp, type HubspotRequest } from './hubspot-http.js';

/** HubSpot's lifecycle stages in the words its own UI uses. */
const LIFECYCLE_LABELS: Record<string, string> = {
  subscriber: 'subscriber',
  lead: 'lead',
  marketingqualifiedlead: 'marketing qualified lead',
  salesqualifiedlead: 'sales qualified lead',
  opportunity: 'opportunity',
  customer: 'customer',
  evangelist: 'evangelist',
  other: 'other',
};
/** 50 domains (each also with www.) keep one search within HubSpot's 100 values per filter. */
const DOMAINS_PER_SEARCH = 50;

const searchSchema = z.object({
  results: z.array(z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullable()) })),
});
const accountSchema = z.object({ portalId: z.number(), uiDomain: z.string().optional() });

/** Which of a run's domains HubSpot holds: customers (lifecycle stage customer) and companies with open deals
 * (hs_num_open_deals) keep their company out of new leads; the others are marked with their stage. */
export function createHubspotDirectory(options: {
  token: string;
  apiUrl: string;
  logger: Pick<Logger, 'warn' | 'debug'>;
}): CrmDirectory {
  // A run waits for this answer: one try per call, no long Retry-After waited out (the run goes on without it).
  const request = createHubspotHttp({ ...options, retries: 1, maxRetryWaitMs: 2_000, timeoutMs: 8_000 });
  let recordBase: Promise<string | undefined> | undefined;

  return {
    system: 'hubspot',
    async lookup(domains, { signal }) {
      recordBase ??= readRecordBase(request, signal).then((base) => {
        if (base === undefined) recordBase = undefined;
        return base;
      });
      const records: CrmRecord[] = [];
      for (const batch of chunk([...new Set(domains)], DOMAINS_PER_SEARCH)) {
        const values = batch.flatMap((domain) => [domain, `www.${domain}`]);
        const answer = searchSchema.parse(
          await request(
            'POST',
            '/crm/v3/objects/companies/search',
            {
              filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'IN', values }] }],
              properties: ['name', 'domain', 'lifecyclestage', 'hs_num_open_deals'],
              limit: 100,
            },
            signal,
          ),
        );
        const base = await recordBase;
        for (const company of answer.results) {
          const domain = (company.properties.domain ?? '').toLowerCase().replace(/^www\./, '');
          if (!batch.includes(domain)) continue;
          const stage = company.properties.lifecyclestage ?? '';
          const openDeals = Number(company.properties.hs_num_open_deals ?? 0);
          records.push({
            system: 'hubspot',
            domain,
            name: company.properties.name ?? domain,
            standing: stage === 'customer' ? 'customer' : openDeals > 0 ? 'open_deal' : 'other',
            label:
              openDeals > 0 && stage !== 'customer' ? 'open deal' : (LIFECYCLE_LABELS[stage] ?? (stage || 'company')),
            url: base ? `${base}${company.id}` : null,
          });
        }
      }
      return records;
    },
  };
}

/** "https://app.hubspot.com/contacts/<portal>/record/0-2/", for links to company records; undefined if unreadable. */
async function readRecordBase(request: HubspotRequest, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const account = accountSchema.parse(await request('GET', '/account-info/v3/details', undefined, signal));
    return `https://${account.uiDomain ?? 'app.hubspot.com'}/contacts/${account.portalId}/record/0-2/`;
  } catch {
    return undefined;
  }
}
