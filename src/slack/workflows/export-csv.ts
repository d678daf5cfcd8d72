import { csvFileName, renderLeadsCsv } from '../blocks/csv.js';
import { renderNotice } from '../blocks/thread.js';
import type { ListenerDeps, SlackClient } from '../deps.js';
import { createPoster, slackErrorCode } from '../io/poster.js';
import type { SlackRun } from '../input/run-access.js';

/** Uploads the run's leads as `leads_<intent>_<YYYYMMDD>.csv` into its thread; failures are told to the user. */
export async function exportCsv(deps: ListenerDeps, request: { client: SlackClient; run: SlackRun; userId: string }): Promise<void> {
  const { run, client, userId } = request;
  const poster = createPoster(client, deps.scrub, deps.logger);
  const { channelId, threadTs } = run.origin;
  const leads = run.leads ?? [];
  if (leads.length === 0) {
    await poster.tellUser(channelId, userId, renderNotice('That run has no leads to export.'), threadTs);
    return;
  }
  const filename = csvFileName(run.intent?.intent ?? 'both', deps.now());
  try {
    await client.files.uploadV2({
      channel_id: channelId,
      thread_ts: threadTs,
      filename,
      title: filename,
      content: deps.scrub(renderLeadsCsv(leads)),
    });
  } catch (error) {
    const code = slackErrorCode(error);
    deps.logger.warn({ runId: run.runId, err: code }, 'CSV export failed');
    await poster.tellUser(channelId, userId, renderNotice(`I couldn’t upload the CSV (Slack said: ${code}). Try again in a minute.`), threadTs);
  }
}
