import type { CrmDirectory } from '../domain/crm-holdings.js';
import { domainOf } from '../domain/url.js';
import type { SalesforceClient } from './salesforce-client.js';

/** Which of a run's domains Salesforce holds: Accounts of a Customer type ("Customer - Direct", "Customer - Channel")
 * and Accounts with an open Opportunity keep their company out of new leads; the others are marked with their Type. */
export function createSalesforceDirectory(
  client: Pick<SalesforceClient, 'findAccounts' | 'instanceUrl'>,
): CrmDirectory {
  return {
    system: 'salesforce',
    async lookup(domains, { signal }) {
      const ids = [...new Set(domains)].map((domain) => ({ name: domain, key: domain, domain }));
      const accounts = await client.findAccounts(ids, signal);
      const base = await client.instanceUrl(signal);
      return accounts.flatMap((account) => {
        const domain = account.website ? domainOf(account.website) : undefined;
        if (!domain) return [];
        const customer = /^customer\b/i.test(account.type ?? '');
        return [
          {
            system: 'salesforce' as const,
            domain,
            name: account.name,
            standing: customer ? ('customer' as const) : account.openDeal ? ('open_deal' as const) : ('other' as const),
            label: account.openDeal && !customer ? 'open opportunity' : account.type || 'account',
            url: `${base}/lightning/r/Account/${account.id}/view`,
          },
        ];
      });
    },
  };
}
