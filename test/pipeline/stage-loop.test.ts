import { describe, expect, it } from 'vitest';
import { RunFailedError, type ProgressEvent } from '../../src/domain/types.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';

/** Cancels a run as soon as it reports the given stage, the way a stopped worker leaves one half done. */
function cancelAt(stage: ProgressEvent['stage']) {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    onProgress: (event: ProgressEvent) => {
      if (event.stage === stage) controller.abort(new Error(`stopped at ${stage}`));
    },
  };
}

function isScoringCall(format: unknown): boolean {
  return Boolean((format as { properties?: Record<string, unknown> })?.properties?.scores);
}

describe('stage loop', () => {
  it('keeps the checkpoint of every finished stage when a run stops part-way', async () => {
    const harness = await startPipelineHarness();
    const error = await harness.services.orchestrator
      .run({ text: 'find customers', scope: 'cli', ...cancelAt('enrichment') })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RunFailedError);
    const stored = await harness.services.orchestrator.getRun('cli', (error as RunFailedError).runId);
    expect(stored?.status).toBe('failed');
    expect(stored?.intent?.intent).toBe('customer');
    expect(stored?.queries?.length).toBeGreaterThanOrEqual(8);
    expect(stored?.candidates?.length).toBeGreaterThan(10);
    expect(stored?.enrichment).toBeUndefined();
    expect(stored?.leads).toBeUndefined();
  });

  it('resumes from the last checkpoint without repeating the search or model work of finished stages', async () => {
    const harness = await startPipelineHarness();
    const error = (await harness.services.orchestrator
      .run({ text: 'find customers', scope: 'cli', ...cancelAt('scoring') })
      .catch((e: unknown) => e)) as RunFailedError;
    const before = await harness.services.orchestrator.getRun('cli', error.runId);
    expect(before?.enrichment?.length).toBeGreaterThan(10);
    const searchesBefore = harness.tavily.queries.length;
    const callsBefore = harness.ollama.calls.length;

    const events: ProgressEvent[] = [];
    const doc = await harness.services.orchestrator.resume({
      scope: 'cli',
      runId: error.runId,
      onProgress: (e) => events.push(e),
    });

    expect(doc.runId).toBe(error.runId);
    expect(doc.leads).toHaveLength(10);
    expect(doc.leads.every((lead) => lead.rationale.length > 0)).toBe(true);
    expect(harness.tavily.queries.length).toBe(searchesBefore);
    const resumedCalls = harness.ollama.calls.slice(callsBefore);
    expect(resumedCalls.length).toBeGreaterThan(0);
    expect(resumedCalls.every((call) => isScoringCall(call.format))).toBe(true);
    expect(new Set(events.map((e) => e.stage))).toEqual(new Set(['scoring', 'done']));
    expect((await harness.services.orchestrator.getRun('cli', error.runId))?.status).toBe('succeeded');
  });

  it('refuses to resume a run that already finished, or one of another workspace', async () => {
    const harness = await startPipelineHarness();
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'T111' });
    await expect(harness.services.orchestrator.resume({ scope: 'T111', runId: doc.runId })).rejects.toThrow(
      /already finished/,
    );
    await expect(harness.services.orchestrator.resume({ scope: 'T999', runId: doc.runId })).rejects.toThrow(/no run/);
  });
});
