// /healthz tells the truth about the store: it writes a value and reads it back, so a store that answers reads
// but keeps nothing (a corrupt SQLite file) is reported, by name and file, with 503.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOllama } from '../fakes/fake-ollama.js';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { tempDir } from '../support/temp-dir.js';
import { startAppProcess } from './support/app-process.js';

async function startWith(
  prepare: (dir: string) => void,
): Promise<{ status: number; body: Record<string, unknown>; dataDir: string }> {
  const dataDir = tempDir('leads-health-');
  prepare(dataDir);
  const fake = await startFakeSlack();
  const ollama = await startFakeOllama({ respond: () => ({}) });
  const app = await startAppProcess(
    {
      SLACK_BOT_TOKEN: 'xoxb-test-bot-token-0123456789',
      SLACK_SIGNING_SECRET: 'test-signing-secret-abcdef0123456789',
      SLACK_API_URL: fake.apiUrl,
      OLLAMA_HOST: ollama.url,
      DATA_DIR: dataDir,
      COMPANY_CONTEXT: resolve('data/axlewave_context/company_context.json'),
    },
    45_000,
  );
  const res = await fetch(`${app.baseUrl}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, dataDir };
}

describe('GET /healthz and the store', () => {
  it('answers 503 naming the store and its file when the SQLite file is corrupt', async () => {
    const { status, body, dataDir } = await startWith((dir) =>
      writeFileSync(join(dir, 'cache.sqlite'), `not a database ${'\u0000junk'.repeat(2000)}`),
    );
    expect(status).toBe(503);
    expect(body.ok).toBe(false);
    expect(body.llm).toBe('ok');
    expect(String(body.store)).toContain(`SQLite file ${join(dataDir, 'cache.sqlite')}`);
    expect(String(body.store)).toMatch(/SQLITE_NOTADB|not a database/);
  }, 60_000);

  it('answers 200 when the store keeps what is written, with the runs by state', async () => {
    const { status, body } = await startWith(() => undefined);
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true, llm: 'ok', store: 'ok', queue: { waiting: 0, active: 0, delayed: 0, failed: 0 } });
  }, 60_000);
});
