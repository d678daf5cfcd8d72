import { HubspotError } from '../../crm/hubspot-http.js';
import { renderHubspotFailed, renderHubspotSending, renderHubspotSent } from '../blocks/hubspot.js';
import { renderNotice } from '../blocks/thread.js';
import type { ListenerDeps } from '../deps.js';
import { slackErrorCode } from '../io/poster.js';
import type { RunAccessContext } from './with-run-access.js';

/** Send to HubSpot: a "sending…" line in the thread, replaced by the summary with links, or by the failure in plain words. */
export async function sendToHubspot(deps: ListenerDeps, ctx: RunAccessContext): Promise<void> {
  const { run, userId, poster } = ctx;
  const { channelId, threadTs } = run.origin;
  const leads = run.leads ?? [];
  if (!deps.hubspot) {
    await poster.tellUser(
      channelId,
      userId,
      renderNotice('HubSpot is not set up for this app (HUBSPOT_TOKEN is empty).'),
      threadTs,
    );
    return;
  }
  if (leads.length === 0) {
    await poster.tellUser(channelId, userId, renderNotice('That list has no leads to send.'), threadTs);
    return;
  }
  const sending = await poster
    .post(channelId, renderHubspotSending(leads.length, userId), threadTs)
    .catch((error: unknown) => {
      deps.logger.warn({ runId: run.runId, err: slackErrorCode(error) }, 'could not post the HubSpot progress line');
      return undefined;
    });
  let message;
  try {
    const outcome = await deps.hubspot.sendLeads({ leads, request: run.request, runId: run.runId });
    deps.logger.info(
      {
        runId: run.runId,
        companies: outcome.companies.length,
        notes: outcome.notesAdded,
        notesAlready: outcome.notesAlready ?? 0,
        unconfirmed: outcome.unconfirmed?.length ?? 0,
      },
      'leads sent to HubSpot',
    );
    message = renderHubspotSent(outcome, userId);
  } catch (error) {
    const reason =
      error instanceof HubspotError
        ? error.message
        : 'Something went wrong inside Leads while talking to HubSpot. The details are in the app’s log.';
    deps.logger.warn({ runId: run.runId, err: (error as Error).message }, 'sending to HubSpot failed');
    message = renderHubspotFailed(reason);
  }
  try {
    if (sending) await poster.update(channelId, sending, message);
    else await poster.post(channelId, message, threadTs);
  } catch (error) {
    deps.logger.error({ runId: run.runId, err: slackErrorCode(error) }, 'could not post the HubSpot summary');
  }
}
