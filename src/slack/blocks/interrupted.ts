import type { Stage } from '../../domain/types.js';
import { escapeAndFit } from './escape.js';
import { STAGE_LABELS, STEPS } from './labels.js';
import { SLACK_LIMITS } from './limits.js';
import { ACTION_IDS } from './ids.js';
import type { SlackMessage } from './message.js';

/** "step 2 of 4, searching the web": where a cut-off run had got to, in words. */
export function describeStage(stage: Stage): string {
  const step = STEPS.indexOf(stage);
  const label = STAGE_LABELS[stage].toLowerCase();
  return step < 0 ? label : `step ${step + 1} of ${STEPS.length}, ${label}`;
}

/** Posted in a run's thread after a restart cut it off, with a Run again button carrying the run id. */
export function renderInterrupted(runId: string, stage: Stage): SlackMessage {
  if (runId.length > SLACK_LIMITS.buttonValue) throw new Error('run id too long for a button value');
  const text = `This run was interrupted by a restart before it finished (it had reached ${describeStage(stage)}).`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: escapeAndFit(text, SLACK_LIMITS.sectionText) } },
      {
        type: 'actions',
        block_id: 'leads_interrupted',
        elements: [{ type: 'button', action_id: ACTION_IDS.runAgain, text: { type: 'plain_text', text: 'Run again' }, value: runId, style: 'primary' }],
      },
    ],
  };
}

/** What the run's progress message becomes once the run is known to have been cut off. */
export function renderInterruptedProgress(stage: Stage): SlackMessage {
  const line = `:double_vertical_bar: Interrupted by a restart at ${describeStage(stage)}`;
  return { text: line, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: line }] }] };
}
