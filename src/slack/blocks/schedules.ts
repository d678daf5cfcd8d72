import type { Schedule } from '../../domain/schedule.js';
import { escapeAndFit } from './escape.js';
import { describeCadence, plural, slackDate, mentionChannel, mentionUser } from './labels.js';
import { SLACK_LIMITS } from './limits.js';
import type { Button, KnownBlock } from '@slack/types';
import { ACTION_IDS } from './ids.js';
import type { SlackMessage } from './message.js';

/** What a channel sees when someone schedules a digest in it. */
export function renderScheduleCreated(schedule: Schedule, next: Date | null): SlackMessage {
  const when = next ? ` First one ${slackDate(next)}.` : '';
  const text =
    `:calendar: ${mentionUser(schedule.createdBy)} scheduled a digest here: “${escapeAndFit(schedule.request, 300)}”, ${describeCadence(schedule)}.${when}\n` +
    'Each digest posts only companies this channel has not seen in an earlier one, plus what changed for returning ones. ' +
    'Anyone in the workspace who asks the same thing gets its latest result at once. `/leads schedules` lists and cancels schedules.';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** The Cancel button of a schedule, with an "are you sure?" step. */
export function cancelButton(schedule: Schedule): Button {
  return {
    type: 'button',
    action_id: ACTION_IDS.cancelSchedule,
    text: { type: 'plain_text', text: 'Cancel' },
    value: schedule.id,
    style: 'danger',
    confirm: {
      title: { type: 'plain_text', text: 'Cancel this digest?' },
      text: {
        type: 'mrkdwn',
        text: `“${escapeAndFit(schedule.request, 200)}” will stop posting in ${mentionChannel(schedule.channelId)}.`,
      },
      confirm: { type: 'plain_text', text: 'Cancel it' },
      deny: { type: 'plain_text', text: 'Keep it' },
      style: 'danger',
    },
  };
}

/** One schedule as a line: what, how often, where, when next, how the last one went. */
export function scheduleLine(schedule: Schedule, next: Date | null): string {
  const last = schedule.lastRun
    ? ` Last: ${schedule.lastRun.status === 'succeeded' ? 'posted' : 'failed'} ${slackDate(new Date(schedule.lastRun.at), '{date_short_pretty}')}.`
    : '';
  const upcoming = next ? ` Next: ${slackDate(next)}.` : '';
  return `“${escapeAndFit(schedule.request, 200)}” in ${mentionChannel(schedule.channelId)}, ${describeCadence(schedule)}, by ${mentionUser(schedule.createdBy)}.${upcoming}${last}`;
}

/** `/leads schedules`: this channel's schedules with Cancel, and how many the workspace has elsewhere. */
export function renderScheduleList(
  here: readonly Schedule[],
  elsewhere: number,
  nextOf: (s: Schedule) => Date | null,
): SlackMessage {
  const blocks: KnownBlock[] = [];
  const title =
    here.length === 0
      ? 'No digest is scheduled in this channel.'
      : `${plural(here.length, 'digest')} scheduled in this channel:`;
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } });
  for (const schedule of here.slice(0, SLACK_LIMITS.blocksPerMessage - 3)) {
    blocks.push({
      type: 'section',
      block_id: `schedule_${schedule.id}`.slice(0, 255),
      text: { type: 'mrkdwn', text: scheduleLine(schedule, nextOf(schedule)) },
      accessory: cancelButton(schedule),
    });
  }
  const hints = [
    'Schedule one with `/leads schedule weekly customers [anything else]` (or `daily`, or a cron expression in quotes).',
  ];
  if (elsewhere > 0)
    hints.unshift(`${plural(elsewhere, 'more digest')} in other channels; the Leads app's Home tab lists them all.`);
  blocks.push({ type: 'context', elements: hints.map((text) => ({ type: 'mrkdwn', text })) });
  return { text: title, blocks };
}

/** What the schedule's channel sees when someone cancels it. */
export function renderScheduleCancelled(schedule: Schedule, by: string): SlackMessage {
  const text = `:calendar: ${mentionUser(by)} cancelled the digest “${escapeAndFit(schedule.request, 300)}” (${describeCadence(schedule)}).`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
