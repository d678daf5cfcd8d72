// Logs people can follow: every line of a run names the run, its stage and (in Slack) the team; a run ends with
// one summary line; LOG_FORMAT=pretty reads well in a terminal and is scrubbed like JSON.
import { describe, expect, it } from 'vitest';
import { startSlackTestApp } from '../slack/support/slack-test-app.js';
import { resultIn, threadOf } from '../slack/support/thread-shape.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { runCli } from '../support/run-cli.js';

type Line = Record<string, unknown> & { msg: string; level: number };
const linesOf = (text: string): Line[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line);

const RUN_STAGES = ['intent', 'research', 'enrichment', 'scoring', 'done', 'failed'];

describe('logs of a run', () => {
  it('carry runId, stage and team on every line, in the pipeline and in Slack, and end with one summary line', async () => {
    const harness = await startPipelineHarness({ env: { LOG_LEVEL: 'debug' } });
    const t = await startSlackTestApp(harness.services.orchestrator);
    // Faults that make both sides write about the run: a search provider error, a refused progress update.
    harness.tavily.enqueueFailure('server_error');
    t.fake.failWith('chat.update', 'message_not_found');

    await t.command('find customers');
    await t.slack.idle();
    const runId = resultIn(threadOf(t.fake).replies)!.buttons[0]!.value;
    const stored = (await harness.services.orchestrator.getRun('T0001', runId))!;

    const pipeline = linesOf(harness.logs());
    expect(pipeline.length).toBeGreaterThan(10);
    for (const line of pipeline) {
      expect(line, line.msg).toMatchObject({ runId, team: 'T0001' });
      expect(RUN_STAGES, line.msg).toContain(line.stage);
    }
    expect(pipeline.find((line) => line.msg.startsWith('search provider failed'))?.stage).toBe('research');
    expect(new Set(pipeline.filter((line) => line.msg === 'LLM call answered').map((line) => line.stage))).toEqual(
      new Set(['research', 'enrichment', 'scoring']),
    );

    const summaries = pipeline.filter((line) => line.msg === 'run finished');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({
      stage: 'done',
      outcome: 'succeeded',
      intent: 'customer',
      leads: 10,
      stats: stored.stats,
    });
    expect(Object.keys(stored.stats.stageMs)).toEqual(['intent', 'research', 'enrichment', 'scoring']);

    const slack = linesOf(t.logs()).filter((line) => line.component !== 'bolt');
    const refused = slack.find((line) => line.msg === 'progress update failed');
    expect(refused).toMatchObject({ runId, team: 'T0001', err: 'An API error occurred: message_not_found' });
    expect(RUN_STAGES).toContain(refused?.stage);
    for (const line of slack.filter((l) => l.runId !== undefined)) {
      expect(line, line.msg).toMatchObject({ runId, team: 'T0001' });
      expect(RUN_STAGES, line.msg).toContain(line.stage);
    }
  });

  it('logs the summary of a failed run once, with the stage it failed in and its stats', async () => {
    const harness = await startPipelineHarness({ env: { LLM_TIMEOUT_MS: '2000' } });
    await harness.ollama.close();
    await harness.services.orchestrator
      .run({ text: 'dealer groups in Ohio that might want a new DMS', scope: 'cli' })
      .catch(() => undefined);
    const failed = linesOf(harness.logs()).filter((line) => line.msg === 'run failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ stage: 'failed', failedAt: 'intent', outcome: 'failed', intent: 'unknown' });
    expect(failed[0]!.err).toContain(harness.ollama.url);
    expect((failed[0]!.stats as { stageMs: Record<string, number> }).stageMs.intent).toBeGreaterThan(0);
  });
});

describe('LOG_FORMAT', () => {
  it('pretty prints readable, scrubbed lines on standard error while --json keeps standard output for the document', async () => {
    const harness = await startPipelineHarness();
    const secret = harness.env.TAVILY_API_KEY!;
    const out = await runCli([`find customers ${secret}`, '--json'], {
      ...harness.env,
      LOG_FORMAT: 'pretty',
      LOG_LEVEL: 'info',
    });
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout) as { runId: string };
    const logLines = out.stderr.split('\n').filter((line) => /\b(INFO|WARN|ERROR)\b/.test(line));
    expect(logLines.length).toBeGreaterThanOrEqual(2);
    expect(out.stderr).not.toMatch(/^\{"level"/m);
    expect(out.stderr).toMatch(
      new RegExp(
        `^\\[\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\] INFO: run started \\{"runId":"${doc.runId}","stage":"intent"`,
        'm',
      ),
    );
    expect(out.stderr).toMatch(/INFO: run finished \{.*"outcome":"succeeded"/);
    expect(out.stderr).not.toContain(secret);
  });

  it('refuses an unknown format at start-up, naming the variable', async () => {
    const harness = await startPipelineHarness();
    const out = await runCli(['find customers'], { ...harness.env, LOG_FORMAT: 'xml' });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('LOG_FORMAT: must be json or pretty');
  });
});
