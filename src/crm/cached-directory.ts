import { z } from 'zod';
import { crmRecordSchema, type CrmDirectory, type CrmRecord } from '../domain/crm-holdings.js';
import type { WorkCache } from '../store/cache.js';

const entrySchema = z.object({ records: z.array(crmRecordSchema) });

/** A CRM directory whose answer per domain (held or not) is kept briefly per workspace (`CACHE_TTL.crm`): runs close
 * together, digests and re-scores ask the CRM once; `fresh` (--fresh, Refresh) asks it again. */
export function cachedDirectory(directory: CrmDirectory, cache: WorkCache): CrmDirectory {
  return {
    system: directory.system,
    async lookup(domains, options) {
      const unique = [...new Set(domains)];
      const keyOf = (domain: string) => cache.key(options.scope, 'crm', directory.system, domain);
      const known = new Map<string, CrmRecord[]>();
      if (!options.fresh)
        for (const domain of unique) {
          const hit = await cache.get(keyOf(domain), entrySchema);
          if (hit) known.set(domain, hit.records);
        }
      const missing = unique.filter((domain) => !known.has(domain));
      if (missing.length > 0) {
        const answer = await directory.lookup(missing, options);
        for (const domain of missing) {
          const records = answer.filter((record) => record.domain === domain);
          known.set(domain, records);
          await cache.set(keyOf(domain), { records }, 'crm');
        }
      }
      return unique.flatMap((domain) => known.get(domain) ?? []);
    },
  };
}
