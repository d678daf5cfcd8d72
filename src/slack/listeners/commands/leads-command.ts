import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { SlackOutcome } from '../../../metrics/metrics.js';
import { readCadence } from '../../../scheduling/cadence.js';
import { renderUsage } from '../../blocks/usage.js';
import type { SlackMessage } from '../../blocks/message.js';
import type { ListenerDeps } from '../../deps.js';
import { parseLeadsRequest, parseScheduledRequest } from '../../input/request-text.js';
import { ackBudget, SHARED_STATE_DOWN } from '../../state/before-ack.js';
import { requestRun } from '../../workflows/request-run.js';
import { createSchedule, listSchedules } from '../../workflows/schedule-digest.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/leads …`: help and bad input answered in the ack itself; a run is queued, a schedule made or listed, only after the ack. */
export function leadsCommand(deps: ListenerDeps) {
  return async ({ command, ack, client, respond }: Args): Promise<SlackOutcome> => {
    const usage = async (problem?: string): Promise<SlackOutcome> => {
      const message = renderUsage(deps.companyName, problem);
      await ack({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
      return problem ? 'invalid' : 'help';
    };
    const parsed = parseLeadsRequest(command.text ?? '');
    if (parsed.kind === 'help' || parsed.kind === 'usage')
      return usage(parsed.kind === 'usage' ? parsed.problem : undefined);
    const notifyUser = async (message: SlackMessage) => {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: message.text,
        blocks: message.blocks,
      });
    };
    const where = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
    const budget = ackBudget();
    const refuse = async (error: unknown): Promise<SlackOutcome> => {
      deps.logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'shared state unavailable; /leads refused',
      );
      await ack({ response_type: 'ephemeral', text: SHARED_STATE_DOWN });
      return 'error';
    };
    try {
      // The same command delivered twice (a retry, or to two instances) is handled once.
      if (!(await budget.within(deps.dedupe.firstDelivery(`command:${command.team_id}:${command.trigger_id}`)))) {
        deps.logger.info({ trigger: command.trigger_id }, 'ignored a repeated /leads delivery');
        await ack();
        return 'duplicate';
      }
    } catch (error) {
      return refuse(error);
    }

    if (parsed.kind === 'schedules') {
      const acked = ack();
      deps.tasks.run('list schedules', async () => {
        await acked;
        await listSchedules(deps, { ...where, notifyUser });
      });
      await acked;
      return 'accepted';
    }

    if (parsed.kind === 'schedule') {
      const cadence = readCadence(parsed.rest, deps.scheduleTimezone);
      if (!cadence.ok) return usage(cadence.problem);
      const request = parseScheduledRequest(cadence.rest);
      if (request.kind === 'usage') return usage(request.problem);
      const acked = ack();
      deps.tasks.run('create schedule', async () => {
        await acked;
        await createSchedule(deps, {
          ...where,
          client,
          cadence: cadence.cadence,
          cron: cadence.cron,
          request: request.text,
          intent: request.intent,
          notifyUser,
        });
      });
      await acked;
      return 'accepted';
    }

    return requestRun(
      deps,
      { kind: 'run', ...where, text: parsed.text, intent: parsed.intent, responseUrl: command.response_url },
      {
        tell: notifyUser,
        beforeAck: {
          ack: (answer) =>
            ack(answer ? { response_type: 'ephemeral', text: answer.text, blocks: answer.blocks } : undefined),
          budget,
        },
      },
    );
  };
}
