import type { ListenerDeps } from '../../deps.js';
import { sendToHubspot } from '../../workflows/send-to-hubspot.js';
import { withRunAccess } from '../../workflows/with-run-access.js';

/** Send to HubSpot: after the ack, checks the run is this conversation's, then sends its leads. */
export function hubspotButton(deps: ListenerDeps) {
  return withRunAccess(deps, 'send to hubspot', (ctx) => sendToHubspot(deps, ctx));
}
