import type { ListenerDeps } from '../../deps.js';
import { sendToSalesforce } from '../../workflows/send-to-salesforce.js';
import { withRunAccess } from '../../workflows/with-run-access.js';

/** Send to Salesforce: after the ack, checks the run is this conversation's, then sends its leads. */
export function salesforceButton(deps: ListenerDeps) {
  return withRunAccess(deps, 'send to salesforce', (ctx) => sendToSalesforce(deps, ctx));
}
