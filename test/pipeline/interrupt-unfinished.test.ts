import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../../src/domain/types.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { afterTest } from '../support/teardown.js';

function runningRun(runId: string, owner: StoredRun['owner']): StoredRun {
  const at = new Date().toISOString();
  return {
    runId,
    scope: 'cli',
    origin: { kind: 'cli' },
    request: 'find customers',
    status: 'running',
    stage: 'enrichment',
    createdAt: at,
    updatedAt: at,
    stats: {
      llmCalls: 0,
      promptTokens: 0,
      outputTokens: 0,
      searches: 0,
      cacheHits: 0,
      durationMs: 0,
      stageMs: {},
      warnings: [],
    },
    top: 10,
    owner,
  };
}

function startProcess(): ReturnType<typeof spawn> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  afterTest({ close: () => child.kill('SIGKILL') });
  return child;
}

describe('start-up recovery of unfinished runs', () => {
  it('leaves a run alone while the process running it on this host is alive, and interrupts it once that process is gone', async () => {
    const harness = await startPipelineHarness();
    const { runs, orchestrator } = harness.services;
    const live = startProcess();
    const dead = startProcess();
    dead.kill('SIGKILL');
    await new Promise((resolve) => dead.once('exit', resolve));
    await runs.save(runningRun('run_live_cli', { host: hostname(), pid: live.pid! }));
    await runs.save(runningRun('run_dead_cli', { host: hostname(), pid: dead.pid! }));
    await runs.save(runningRun('run_old_format', undefined));

    const interrupted = await orchestrator.interruptUnfinished();

    expect(interrupted.map((r) => r.runId).sort()).toEqual(['run_dead_cli', 'run_old_format']);
    expect((await runs.get('cli', 'run_live_cli'))?.status).toBe('running');
    expect((await runs.get('cli', 'run_dead_cli'))?.status).toBe('interrupted');
  });

  it('stores the owning process with every run it starts', async () => {
    const harness = await startPipelineHarness();
    const doc = await harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' });
    expect((await harness.services.orchestrator.getRun('cli', doc.runId))?.owner).toEqual({
      host: hostname(),
      pid: process.pid,
    });
  });
});
