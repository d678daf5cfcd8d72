import { describe, expect, it } from 'vitest';
import { renderInterrupted, renderInterruptedProgress } from '../../src/slack/blocks/interrupted.js';
import { limitViolations } from './support/limits-check.js';

describe('interrupted run messages', () => {
  it('tells the thread where the run had got to, with a Run again button carrying the run id', () => {
    const message = renderInterrupted('run_lx1_abc123', 'research');
    expect(message).toEqual({
      text: 'This run was interrupted by a restart before it finished (it had reached step 2 of 4, searching the web).',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'This run was interrupted by a restart before it finished (it had reached step 2 of 4, searching the web).',
          },
        },
        {
          type: 'actions',
          block_id: 'leads_interrupted',
          elements: [
            {
              type: 'button',
              action_id: 'leads_run_again',
              text: { type: 'plain_text', text: 'Run again' },
              value: 'run_lx1_abc123',
              style: 'primary',
            },
          ],
        },
      ],
    });
    expect(limitViolations(message)).toEqual([]);
  });

  it('turns the progress message into a one-line interruption note', () => {
    expect(renderInterruptedProgress('enrichment')).toEqual({
      text: ':double_vertical_bar: Interrupted by a restart at step 3 of 4, looking up companies',
      blocks: [
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: ':double_vertical_bar: Interrupted by a restart at step 3 of 4, looking up companies',
            },
          ],
        },
      ],
    });
  });
});
