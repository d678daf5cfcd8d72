// What a first-time user of the CLI runs into: --json output that a library's console.log must not spoil,
// Ctrl-C, and no language model at all.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leadsDocumentSchema } from '../../src/domain/types.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { runCli } from '../support/run-cli.js';
import { startFakeOpenAi } from '../fakes/fake-openai.js';
import { afterTest } from '../support/teardown.js';

/** A port nothing listens on (fetch refuses "bad ports" such as 9 before connecting, so it must be a real one). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('the CLI on a first run', () => {
  it('--json prints only the document even when the ollama client console.logs ("Getting text from response")', async () => {
    const harness = await startPipelineHarness();
    // A proxy's plain-text 503 makes the ollama client log to standard output before the retry succeeds.
    harness.ollama.server.enqueue({
      status: 503,
      headers: { 'content-type': 'text/plain' },
      body: 'upstream connect error',
    });
    const out = await runCli(['find customers', '--json'], harness.env);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('Getting text from response');
    const doc = leadsDocumentSchema.parse(JSON.parse(out.stdout));
    expect(doc.leads).toHaveLength(10);
  }, 60_000);

  it('exits 130 on Ctrl-C, saying it stopped, with nothing on standard output', async () => {
    const harness = await startPipelineHarness({
      cost: { baseMs: 30_000, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 2 },
    });
    const child = spawn(process.execPath, [resolve('dist/cli.js'), 'find customers', '--json'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...harness.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    afterTest({ close: () => child.kill('SIGKILL') });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const deadline = Date.now() + 20_000;
    while (harness.ollama.calls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(harness.ollama.calls.length).toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toBe('');
    expect(stderr).toContain('Stopped.');
  }, 60_000);

  it('names both ways to get a language model when none answers, before spending a search', async () => {
    const harness = await startPipelineHarness();
    const out = await runCli(['find customers', '--fresh'], {
      ...harness.env,
      OLLAMA_HOST: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /refused the connection after 3 attempts; start Ollama \(`ollama serve`\) or check OLLAMA_HOST; or use another model server: set LLM_PROVIDER=openai and OPENAI_BASE_URL \(vLLM, llama-server, LM Studio, OpenAI\), or LLM_PROVIDER=huggingface and HF_TOKEN/,
    );
  }, 60_000);

  it('runs on an OpenAI-compatible server that refuses json_schema (llama-server), in JSON mode', async () => {
    const harness = await startPipelineHarness();
    const server = await startFakeOpenAi({ refuseJsonSchema: 'llama-server', respond: harness.model.respond });
    const out = await runCli(['find customers', '--json', '--top', '5'], {
      ...harness.env,
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: server.url,
      OPENAI_MODEL: 'qwen2.5-7b-instruct',
    });
    expect(out.code, out.stderr).toBe(0);
    const doc = leadsDocumentSchema.parse(JSON.parse(out.stdout));
    expect(doc.leads.length).toBeGreaterThanOrEqual(1);
    expect(doc.stats.llmCalls).toBeGreaterThan(0);
    expect(doc.stats.outputTokens).toBeGreaterThan(0);
    // The first call learnt that this server refuses json_schema; every other one went straight to JSON mode.
    const refused = server.server.requests.filter(
      // The check before the run lists the models (a GET, no body); the rest are chat calls.
      (r) => (r.body as { response_format?: { type?: string } } | undefined)?.response_format?.type === 'json_schema',
    );
    expect(refused.length).toBeLessThanOrEqual(2);
    expect(server.calls.every((c) => c.responseFormat === 'json_object')).toBe(true);
    expect(harness.ollama.calls).toHaveLength(0);
  }, 60_000);

  it('tells an OPENAI_BASE_URL that nothing listens on apart, naming the variable', async () => {
    const harness = await startPipelineHarness();
    const out = await runCli(['find customers', '--fresh'], {
      ...harness.env,
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1`,
      OPENAI_MODEL: 'qwen2.5-7b-instruct',
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /refused the connection after 3 attempts; start the model server .* or check OPENAI_BASE_URL/,
    );
    expect(harness.tavily.requests).toHaveLength(0);
  }, 60_000);
});
