// The check before a run (docs/architecture.md#configuration, src/pipeline/preflight.ts): what it costs a run against
// a healthy model on the cost model, and how soon a run without a model fails, with how many searches spent.
import { startPipelineHarness } from '../test/support/pipeline-harness.js';
import type { FakeCostModel } from '../test/fakes/fake-ollama.js';

export interface PreflightResult {
  /** A fresh process's first check against a healthy model. */
  healthyMs: number;
  /** The same check again within its cache time. */
  cachedMs: number;
  /** A run with no model answering: request to failure. */
  noModelFailMs: number;
  /** Searches that run spent. */
  noModelSearches: number;
}

export async function measurePreflight(options: {
  cost: FakeCostModel;
  searchLatencyMs: number;
}): Promise<PreflightResult> {
  const healthy = await startPipelineHarness({
    cost: options.cost,
    searchLatencyMs: options.searchLatencyMs,
    env: { LOG_LEVEL: 'warn' },
  });
  let healthyMs: number;
  let cachedMs: number;
  try {
    let started = performance.now();
    await healthy.services.preflight();
    healthyMs = performance.now() - started;
    started = performance.now();
    await healthy.services.preflight();
    cachedMs = performance.now() - started;
  } finally {
    await healthy.close();
  }
  const down = await startPipelineHarness({
    cost: options.cost,
    searchLatencyMs: options.searchLatencyMs,
    env: { LOG_LEVEL: 'silent' },
  });
  try {
    await down.ollama.close();
    const started = performance.now();
    await down.services.orchestrator
      .run({ text: 'find me potential customers', scope: 'bench' })
      .catch(() => undefined);
    return {
      healthyMs: Math.round(healthyMs),
      cachedMs: Number(cachedMs.toFixed(2)),
      noModelFailMs: Math.round(performance.now() - started),
      noModelSearches: down.tavily.requests.length,
    };
  } finally {
    await down.close();
  }
}
