import { csvFileName, renderLeadsCsv } from '../blocks/csv.js';
import { renderNotice } from '../blocks/thread.js';
import type { ListenerDeps, SlackClient } from '../deps.js';
import { createPoster, slackErrorCode } from '../io/poster.js';
import type { SlackRun } from '../input/run-access.js';
import { runLog } from '../io/run-log.js';

/** Slack's answers when the bot is not a member of the channel (chat:write.public covers posting, not uploads). */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);

export interface ExportRequest {
  client: SlackClient;
  run: SlackRun;
  userId: string;
  /** The action's response_url: the one way to reach a user in a channel the bot is not in. */
  respond?: (message: { text: string }) => Promise<void>;
}

/**
 * Uploads the run's leads as `leads_<intent>_<YYYYMMDD>.csv` into its thread. In a public channel the bot was
 * never invited to, it joins (channels:join) and tries again; where it cannot, the user is told how to fix it.
 */
export async function exportCsv(deps: ListenerDeps, request: ExportRequest): Promise<void> {
  const { run, client, userId } = request;
  const log = runLog(deps.logger, { runId: run.runId, teamId: run.origin.teamId }, () => run.stage);
  const poster = createPoster(client, deps.scrub, log);
  const { channelId, threadTs } = run.origin;
  const leads = run.leads ?? [];
  const tell = (text: string) => poster.tellUser(channelId, userId, renderNotice(text), threadTs);
  // An ephemeral message fails where the bot is not a member too; the response_url does not.
  const tellOutsider = async (text: string) => {
    if (request.respond) await request.respond({ text }).catch(() => tell(text));
    else await tell(text);
  };
  if (leads.length === 0) {
    await tell('That run has no leads to export.');
    return;
  }
  const filename = csvFileName(run.intent?.intent ?? 'both', deps.now());
  const upload = () =>
    client.files.uploadV2({
      channel_id: channelId,
      thread_ts: threadTs,
      filename,
      title: filename,
      content: deps.scrub(renderLeadsCsv(leads)),
    });
  try {
    try {
      await upload();
    } catch (error) {
      if (!NOT_A_MEMBER.has(slackErrorCode(error))) throw error;
      await client.conversations.join({ channel: channelId }).catch((joinError: unknown) => {
        log.info({ err: slackErrorCode(joinError) }, 'could not join the channel to upload the CSV');
        throw error;
      });
      await upload();
    }
  } catch (error) {
    const code = slackErrorCode(error);
    log.warn({ err: code }, 'CSV export failed');
    if (NOT_A_MEMBER.has(code)) {
      await tellOutsider(
        'I couldn’t upload the CSV here because I’m not a member of this channel. Invite me with `/invite @Leads`, then press Export CSV again.',
      );
    } else {
      await tell(`I couldn’t upload the CSV (Slack said: ${code}). Try again in a minute.`);
    }
  }
}
