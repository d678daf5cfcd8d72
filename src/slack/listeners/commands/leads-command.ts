import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { SlackOutcome } from '../../../metrics/metrics.js';
import { renderUsage } from '../../blocks/usage.js';
import type { ListenerDeps } from '../../deps.js';
import { parseLeadsRequest } from '../../input/request-text.js';
import { claimRun, startRunInThread } from '../../workflows/run-in-thread.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/leads …`: help and bad input answered in the ack itself; a run starts only after the ack. */
export function leadsCommand(deps: ListenerDeps) {
  return async ({ command, ack, client, respond }: Args): Promise<SlackOutcome> => {
    const parsed = parseLeadsRequest(command.text ?? '');
    if (parsed.kind !== 'run') {
      const usage = renderUsage(deps.companyName, parsed.kind === 'usage' ? parsed.problem : undefined);
      await ack({ response_type: 'ephemeral', text: usage.text, blocks: usage.blocks });
      return parsed.kind === 'usage' ? 'invalid' : 'help';
    }
    if (!deps.dedupe.firstDelivery(`command:${command.team_id}:${command.trigger_id}`)) {
      deps.logger.info({ trigger: command.trigger_id }, 'ignored a repeated /leads delivery');
      await ack();
      return 'duplicate';
    }
    const request = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
    const claim = claimRun(deps, request);
    if (!claim.ok) {
      await ack({ response_type: 'ephemeral', text: claim.busy.text, blocks: claim.busy.blocks });
      return 'busy';
    }
    const acked = ack();
    startRunInThread(
      deps,
      {
        ...request,
        client,
        text: parsed.text,
        intent: parsed.intent,
        notifyUser: async (message) => {
          await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
        },
      },
      claim.active,
      acked,
    );
    await acked;
    return 'accepted';
  };
}
