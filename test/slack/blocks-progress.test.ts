import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RunFailedError } from '../../src/domain/types.js';
import { renderFailure } from '../../src/slack/blocks/errors.js';
import {
  completeProgress,
  failProgress,
  initialProgress,
  reduceProgress,
  renderProgress,
} from '../../src/slack/blocks/progress.js';
import { renderChanges } from '../../src/slack/blocks/changes.js';
import { ThrottledMessage } from '../../src/slack/io/throttled-message.js';
import type { SlackMessage } from '../../src/slack/blocks/message.js';

const T0 = 1_000_000;

describe('progress message', () => {
  it('shows the stage, a bar and elapsed time while running', () => {
    let state = initialProgress('Finding customers for AxleWave', T0);
    state = reduceProgress(
      state,
      { runId: 'r', stage: 'enrichment', done: 6, total: 12, message: 'Enriched 6 of 12 companies' },
      T0 + 14_000,
    );
    expect(renderProgress(state)).toEqual({
      text: 'Looking up companies: Enriched 6 of 12 companies',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: ':hourglass_flowing_sand: *Looking up companies* (step 3 of 4)' },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '`█████░░░░░` Enriched 6 of 12 companies · 14 s' }] },
      ],
    });
  });

  it('ends as a compact summary: candidates found, enriched, scored, time', () => {
    let state = initialProgress('t', T0);
    state = reduceProgress(state, { runId: 'r', stage: 'enrichment', done: 28, total: 28, message: '' }, T0);
    state = reduceProgress(state, { runId: 'r', stage: 'scoring', done: 25, total: 25, message: '' }, T0);
    state = completeProgress(state, T0 + 72_000);
    expect(renderProgress(state).text).toBe(
      ':white_check_mark: Finished in 1m 12s · 28 candidates found · 28 enriched · 25 scored',
    );
  });

  it('shows how long each stage took once finished, in stage order', () => {
    const state = completeProgress(initialProgress('t', T0), T0 + 80_000, {
      scoring: 65_000,
      intent: 12,
      enrichment: 8_040,
      research: 6_240,
    });
    const message = renderProgress(state);
    expect(message.text).toBe(
      ':white_check_mark: Finished in 1m 20s\nReading the request 12 ms · Searching the web 6.2 s · Looking up companies 8.0 s · Scoring fit 1m 5s',
    );
    expect(message.blocks).toEqual([{ type: 'context', elements: [{ type: 'mrkdwn', text: message.text }] }]);
  });

  it('shows only the stages a re-score went through', () => {
    const state = completeProgress(initialProgress('t', T0), T0 + 5_000, { scoring: 4_960 });
    expect(renderProgress(state).text).toBe(':white_check_mark: Finished in 5 s\nScoring fit 5.0 s');
  });

  it('shows the run as failed, naming the stage', () => {
    let state = reduceProgress(
      initialProgress('t', T0),
      { runId: 'r', stage: 'research', done: 1, total: 8, message: '' },
      T0,
    );
    state = failProgress(state, 'search is down', T0 + 5000);
    expect(renderProgress(state).text).toBe(':x: Failed while searching the web after 5 s');
  });
});

describe('failure message', () => {
  it('states a typed failure in plain words, escaped', () => {
    const message = renderFailure(
      new RunFailedError(
        'run_1',
        'The language model at http://127.0.0.1:11434 did not answer in 60 s; check OLLAMA_HOST <now>',
      ),
      { runId: 'run_1' },
    );
    expect(message.text).toBe(
      ':warning: The request could not finish: The language model at http://127.0.0.1:11434 did not answer in 60 s; check OLLAMA_HOST &lt;now&gt;',
    );
  });

  it('never shows an unknown error’s message or stack', () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'x')");
    const message = renderFailure(error);
    expect(message.text).toBe(
      ':warning: The request could not finish: Something went wrong inside Leads. The details are in the app’s log.',
    );
    expect(JSON.stringify(message)).not.toContain('    at ');
  });
});

describe('re-score changes', () => {
  it('lists moved up, moved down and new', () => {
    const blocks = renderChanges(
      [
        { name: 'A', change: 'up', from: 3, to: 1 },
        { name: 'B', change: 'down', from: 1, to: 2 },
        { name: 'C', change: 'new', to: 3 },
        { name: 'D', change: 'same', from: 4, to: 4 },
      ],
      'favour <!here> groups',
    );
    expect(blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Re-scored with your note: “favour &lt;!here&gt; groups”\n*Moved up:* A (3 → 1)\n*Moved down:* B (1 → 2)\n*New:* C (#3)',
        },
      },
    ]);
  });
});

describe('ThrottledMessage', () => {
  const logger = pino({ level: 'silent' });
  const msg = (text: string): SlackMessage => ({ text, blocks: [] });

  it('coalesces bursts, keeps the interval between sends, and always lands the final state', async () => {
    const sent: { text: string; at: number }[] = [];
    const throttled = new ThrottledMessage(async (m) => void sent.push({ text: m.text, at: Date.now() }), 200, logger);
    for (let i = 0; i < 20; i += 1) throttled.update(msg(`step ${i}`));
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 20; i < 40; i += 1) throttled.update(msg(`step ${i}`));
    await new Promise((r) => setTimeout(r, 300));
    throttled.update(msg('superseded'));
    await throttled.finish(msg('final'));
    expect(sent.map((s) => s.text)).toEqual(['step 0', 'step 39', 'final']);
    for (let i = 1; i < sent.length; i += 1) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(195);
  });

  it('waits for a slow (rate-limited) send instead of piling up, then sends the latest', async () => {
    const sent: string[] = [];
    let calls = 0;
    const throttled = new ThrottledMessage(
      async (m) => {
        calls += 1;
        if (calls === 1) await new Promise((r) => setTimeout(r, 300));
        sent.push(m.text);
      },
      10,
      logger,
    );
    throttled.update(msg('a'));
    throttled.update(msg('b'));
    throttled.update(msg('c'));
    await throttled.finish(msg('done'));
    expect(sent).toEqual(['a', 'done']);
  });

  it('keeps going when a send fails', async () => {
    const sent: string[] = [];
    let first = true;
    const throttled = new ThrottledMessage(
      async (m) => {
        if (first) {
          first = false;
          throw new Error('boom');
        }
        sent.push(m.text);
      },
      0,
      logger,
    );
    throttled.update(msg('a'));
    await throttled.finish(msg('done'));
    expect(sent).toEqual(['done']);
  });
});
