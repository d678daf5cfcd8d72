// Before a run searches, the model (and HubSpot, when set up) is checked: a run without a working model fails at
// once, naming the variable to fix, and spends no search; a busy process checks once, not once per run.
import { describe, expect, it } from 'vitest';
import { RunFailedError } from '../../src/domain/types.js';
import { PreflightError } from '../../src/errors.js';
import { createPreflight } from '../../src/pipeline/preflight.js';
import { startFakeHubspot } from '../fakes/fake-hubspot.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';

async function failureOf(work: Promise<unknown>): Promise<Error> {
  const error = await work.then(
    () => new Error('expected the run to fail'),
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(RunFailedError);
  return error;
}

const tagsRequests = (h: { ollama: { server: { requests: { path: string }[] } } }) =>
  h.ollama.server.requests.filter((r) => r.path === '/api/tags').length;

describe('the check before a run', () => {
  it('fails a run whose model does not answer before any search, naming OLLAMA_HOST', async () => {
    const harness = await startPipelineHarness();
    await harness.ollama.close();
    const error = await failureOf(harness.services.orchestrator.run({ text: 'find customers', scope: 'cli' }));
    expect(error.message).toMatch(/^Checked before searching: The language model at http:\/\/127\.0\.0\.1:\d+/);
    expect(error.message).toContain('check OLLAMA_HOST');
    expect(harness.tavily.requests).toHaveLength(0);
  });

  it('fails a run whose model is not pulled before any search, naming OLLAMA_MODEL', async () => {
    const harness = await startPipelineHarness({ env: { OLLAMA_MODEL: 'qwen2.5:7b' } });
    const error = await failureOf(harness.services.orchestrator.run({ text: 'find partners', scope: 'cli' }));
    expect(error.message).toMatch(/model qwen2\.5:7b is not pulled .*ollama pull qwen2\.5:7b.*set OLLAMA_MODEL/);
    expect(harness.tavily.requests).toHaveLength(0);
  });

  it('names a HubSpot that refuses HUBSPOT_TOKEN in the log before the run, and lets the run go on (a CRM is not a must)', async () => {
    const hubspot = await startFakeHubspot();
    const refused = await startPipelineHarness({
      env: { HUBSPOT_TOKEN: 'pat-na1-revoked-token', HUBSPOT_API_URL: hubspot.url },
    });
    const doc = await refused.services.orchestrator.run({ text: 'find customers', scope: 'cli' });
    expect(doc.leads).toHaveLength(10);
    const advice = refused
      .logs()
      .split('\n')
      .filter((line) => line.includes('HubSpot failed the check before a run'));
    expect(advice).toHaveLength(1);
    expect(advice[0]).toContain('HubSpot refused the token in HUBSPOT_TOKEN');
  });

  it('asks the model once for a burst of runs in one process', async () => {
    const harness = await startPipelineHarness();
    const { orchestrator } = harness.services;
    await Promise.all([
      orchestrator.run({ text: 'find customers', scope: 'cli' }),
      orchestrator.run({ text: 'find partners', scope: 'cli' }),
    ]);
    await orchestrator.run({ text: 'find customers and partners', scope: 'cli' });
    expect(tagsRequests(harness)).toBe(1);
  });

  it('keeps a pass for a while and a failure only briefly, names every required check that failed, and only reports the others', async () => {
    let clock = 0;
    let modelUp = false;
    let calls = 0;
    const preflight = createPreflight(
      [
        {
          name: 'model',
          run: async () => {
            calls += 1;
            if (!modelUp) throw new Error('The model did not answer; check OLLAMA_HOST.');
          },
        },
        {
          name: 'search index',
          run: async () => {
            if (!modelUp) throw new Error('The index is down; check INDEX_URL.');
          },
        },
        {
          name: 'crm',
          required: false,
          run: async () => {
            if (!modelUp) throw new Error('HubSpot refused the token in HUBSPOT_TOKEN.');
          },
        },
      ],
      {
        passedForMs: 30_000,
        failedForMs: 3_000,
        now: () => clock,
        onAdvice: (name, text) => advice.push(`${name}: ${text}`),
      },
    );
    const advice: string[] = [];
    const failure = (await preflight().catch((e: unknown) => e)) as Error;
    expect(failure).toBeInstanceOf(PreflightError);
    expect(failure.message).toBe(
      'Checked before searching: The model did not answer; check OLLAMA_HOST. The index is down; check INDEX_URL.',
    );
    expect(advice).toEqual(['crm: HubSpot refused the token in HUBSPOT_TOKEN.']);
    // Within the failure's short memory nothing is asked again; after it, the model that came back is seen.
    modelUp = true;
    clock = 2_000;
    await expect(preflight()).rejects.toBe(failure);
    clock = 3_500;
    await preflight();
    expect(calls).toBe(2);
    clock = 30_000;
    await Promise.all([preflight(), preflight(), preflight()]);
    expect(calls).toBe(2);
    clock = 40_000;
    await Promise.all([preflight(), preflight()]);
    expect(calls).toBe(3);
  });
});
