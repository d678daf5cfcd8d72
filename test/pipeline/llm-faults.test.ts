// The LLM goes down, refuses or stalls mid-run. The run fails fast and clearly, and what it had already found
// is stored with it.
import { describe, expect, it } from 'vitest';
import type { ScriptedReply } from '../fakes/fake-ollama.js';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness.js';
import { failureOf } from './helpers.js';

// "find customers" needs no LLM for intent or queries: the first two calls are the two extraction batches.
const EXTRACTION_PASSES: ScriptedReply[] = [{ delayMs: 1 }, { delayMs: 1 }];

const scenarios: {
  name: string;
  /** LLM_TIMEOUT_MS: the budget for one call, its retries included. */
  timeoutMs: number;
  problem: RegExp;
  /** Runs when enrichment starts, i.e. once research has succeeded. */
  breakLlm: (h: PipelineHarness) => void;
  script?: ScriptedReply[];
}[] = [
  {
    name: 'the LLM server goes down',
    timeoutMs: 3_000,
    problem: /refused the connection after 3 attempts/,
    breakLlm: (h) => void h.ollama.close(),
  },
  {
    name: 'the LLM server answers HTTP 503',
    timeoutMs: 3_000,
    problem: /failed with HTTP 503.*after 3 attempts/,
    breakLlm: () => undefined,
    script: [...EXTRACTION_PASSES, ...Array.from({ length: 24 }, () => ({ status: 503, error: 'server overloaded' }))],
  },
  {
    name: 'the LLM does not answer within LLM_TIMEOUT_MS',
    timeoutMs: 800,
    problem: /did not answer in 0\.8 s/,
    breakLlm: () => undefined,
    script: [...EXTRACTION_PASSES, ...Array.from({ length: 8 }, () => ({ delayMs: 20_000 }))],
  },
];

describe('LLM faults during a run', () => {
  it.each(scenarios)(
    'when $name, the run fails within its retry budget naming host, model and OLLAMA_HOST, and is stored as failed with its candidates',
    async (scenario) => {
      const harness = await startPipelineHarness({ env: { LLM_TIMEOUT_MS: String(scenario.timeoutMs) } });
      const h = harness;
      if (scenario.script) h.ollama.enqueue(...scenario.script);
      let brokeAt = 0;
      const failure = await failureOf(
        h.services.orchestrator.run({
          text: 'find customers',
          scope: 'cli',
          onProgress: (event) => {
            if (event.stage === 'enrichment' && brokeAt === 0) {
              brokeAt = Date.now();
              scenario.breakLlm(h);
            }
          },
        }),
      );
      const tookMs = Date.now() - brokeAt;

      expect(brokeAt).toBeGreaterThan(0);
      expect(failure.message, failure.message).toMatch(scenario.problem);
      expect(failure.message).toContain(h.ollama.url);
      expect(failure.message).toContain('llama3.1:8b');
      expect(failure.message).toMatch(/OLLAMA_HOST/);
      // Three attempts with 250 ms and 500 ms backoff, or one timeout: within the budget, plus time for the searches.
      expect(tookMs).toBeLessThan(scenario.timeoutMs + 1_000);

      const stored = await h.services.orchestrator.getRun('cli', failure.runId);
      expect(stored?.status).toBe('failed');
      expect(stored?.error).toBe(failure.message);
      expect(stored?.intent?.intent).toBe('customer');
      expect(stored?.candidates?.length).toBeGreaterThanOrEqual(10);
      expect(stored?.leads).toBeUndefined();
    },
  );
});
