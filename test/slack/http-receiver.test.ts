import { describe, expect, it } from 'vitest';
import { createScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { signBody } from './support/signed-requests.js';
import { startSlackTestApp, TEST_SECRETS } from './support/slack-test-app.js';

describe('HTTP receiver', () => {
  it.each([
    ['a wrong signature', { signature: signBody('not-the-secret', Math.floor(Date.now() / 1000), 'x') }],
    ['no signature', { signature: null }],
    ['a timestamp older than 5 minutes', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('answers 401 and does no work for %s', async (_label, options) => {
    const orchestrator = createScriptedOrchestrator();
    const t = await startSlackTestApp(orchestrator);
    const res = await t.command('find customers', {}, options);
    expect(res.status).toBe(401);
    await t.slack.idle();
    expect(orchestrator.runs).toHaveLength(0);
    expect(t.fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('accepts a correctly signed request', async () => {
    const t = await startSlackTestApp(createScriptedOrchestrator());
    expect((await t.command('help')).status).toBe(200);
  });

  it('reports on GET /healthz whether the LLM and the store answer', async () => {
    let llmUp = true;
    const t = await startSlackTestApp(createScriptedOrchestrator(), {
      deps: { health: { llm: async () => ({ ok: llmUp }), store: async () => ({ ok: true }) } },
    });
    const up = await fetch(`${t.baseUrl}/healthz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ ok: true, llm: 'ok', store: 'ok' });
    llmUp = false;
    const down = await fetch(`${t.baseUrl}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ok: false, llm: 'unreachable', store: 'ok' });
  });

  it('never echoes the signing secret or tokens in its responses', async () => {
    const t = await startSlackTestApp(createScriptedOrchestrator());
    const res = await t.command('help');
    for (const secret of Object.values(TEST_SECRETS)) expect(res.text).not.toContain(secret);
  });
});
