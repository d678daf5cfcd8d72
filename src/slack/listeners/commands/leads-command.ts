import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { SlackOutcome } from '../../../metrics/metrics.js';
import { renderUsage } from '../../blocks/usage.js';
import type { SlackMessage } from '../../blocks/message.js';
import { newRunId } from '../../../domain/run-id.js';
import type { ListenerDeps } from '../../deps.js';
import { parseLeadsRequest } from '../../input/request-text.js';
import { ackBudget, SHARED_STATE_DOWN } from '../../state/before-ack.js';
import { claimRun, startJob, type ClaimResult } from '../../workflows/run-in-thread.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/leads …`: help and bad input answered in the ack itself; a run is queued only after the ack. */
export function leadsCommand(deps: ListenerDeps) {
  return async ({ command, ack, respond }: Args): Promise<SlackOutcome> => {
    const parsed = parseLeadsRequest(command.text ?? '');
    if (parsed.kind !== 'run') {
      const usage = renderUsage(deps.companyName, parsed.kind === 'usage' ? parsed.problem : undefined);
      await ack({ response_type: 'ephemeral', text: usage.text, blocks: usage.blocks });
      return parsed.kind === 'usage' ? 'invalid' : 'help';
    }
    const request = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
    let claim: ClaimResult;
    const runId = newRunId();
    const budget = ackBudget();
    try {
      // The same command delivered twice (a retry, or to two instances) starts one run.
      if (!(await budget.within(deps.dedupe.firstDelivery(`command:${command.team_id}:${command.trigger_id}`)))) {
        deps.logger.info({ trigger: command.trigger_id }, 'ignored a repeated /leads delivery');
        await ack();
        return 'duplicate';
      }
      claim = await budget.within(claimRun(deps, request, runId));
    } catch (error) {
      // A claim that landed after the budget ran out must not block the user until it expires.
      void deps.active.release({ runId, ...request }).catch(() => undefined);
      deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'shared state unavailable; /leads refused');
      await ack({ response_type: 'ephemeral', text: SHARED_STATE_DOWN });
      return 'error';
    }
    if (!claim.ok) {
      await ack({ response_type: 'ephemeral', text: claim.busy.text, blocks: claim.busy.blocks });
      return 'busy';
    }
    const acked = ack();
    const job = { kind: 'run' as const, runId: claim.active.runId, ...request, text: parsed.text, intent: parsed.intent, responseUrl: command.response_url };
    const tell = async (message: SlackMessage) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
    };
    startJob(deps, job, claim.active, tell, acked);
    await acked;
    return 'accepted';
  };
}
