import { SalesforceError } from '../../crm/salesforce-error.js';
import { renderSalesforceFailed, renderSalesforceSending, renderSalesforceSent } from '../blocks/salesforce.js';
import { renderNotice } from '../blocks/thread.js';
import type { ListenerDeps } from '../deps.js';
import { slackErrorCode } from '../io/poster.js';
import type { RunAccessContext } from './with-run-access.js';

/** Send to Salesforce: a "sending…" line in the thread, replaced by what Salesforce holds afterwards (links, tasks,
 * what is missing and why), or by the failure in plain words. */
export async function sendToSalesforce(deps: ListenerDeps, ctx: RunAccessContext): Promise<void> {
  const { run, userId, poster } = ctx;
  const { channelId, threadTs } = run.origin;
  const leads = run.leads ?? [];
  if (!deps.salesforce) {
    await poster.tellUser(
      channelId,
      userId,
      renderNotice('Salesforce is not set up for this app (SALESFORCE_CLIENT_ID is empty).'),
      threadTs,
    );
    return;
  }
  if (leads.length === 0) {
    await poster.tellUser(channelId, userId, renderNotice('That list has no leads to send.'), threadTs);
    return;
  }
  const sending = await poster
    .post(channelId, renderSalesforceSending(leads.length, userId), threadTs)
    .catch((error: unknown) => {
      deps.logger.warn({ runId: run.runId, err: slackErrorCode(error) }, 'could not post the Salesforce progress line');
      return undefined;
    });
  let message;
  try {
    // The run's criteria (when it has them) label each lead's verdicts in its task.
    const criteria = (run as { criteria?: unknown }).criteria;
    const outcome = await deps.salesforce.sendLeads({ leads, request: run.request, runId: run.runId, criteria });
    message = renderSalesforceSent(outcome, userId);
  } catch (error) {
    const reason =
      error instanceof SalesforceError
        ? error.message
        : 'Something went wrong inside Leads while talking to Salesforce. The details are in the app’s log.';
    deps.logger.warn({ runId: run.runId, err: (error as Error).message }, 'sending to Salesforce failed');
    message = renderSalesforceFailed(reason);
  }
  try {
    if (sending) await poster.update(channelId, sending, message);
    else await poster.post(channelId, message, threadTs);
  } catch (error) {
    deps.logger.error({ runId: run.runId, err: slackErrorCode(error) }, 'could not post the Salesforce summary');
  }
}
