// Start-up checks that DATA_DIR is a writable folder (creating it when missing) and says what to fix, exit 2.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main as startSlackApp } from '../../src/slack/main.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const PROFILE = resolve('data/axlewave_context/company_context.json');
function blockedDataDir(): string {
  const dir = tempDir('leads-datadir-');
  writeFileSync(join(dir, 'a-file'), 'in the way');
  return join(dir, 'a-file', 'data');
}

describe('DATA_DIR at start-up', () => {
  it('the CLI exits 2 naming DATA_DIR, the folder and what to do, before any model work', async () => {
    const dataDir = blockedDataDir();
    const out = await runCli(['find customers', '--json'], {
      DATA_DIR: dataDir,
      COMPANY_CONTEXT: PROFILE,
      OLLAMA_HOST: 'http://127.0.0.1:9',
    });
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(`DATA_DIR: ${dataDir} is not a writable folder (ENOTDIR)`);
    expect(out.stderr).toMatch(/point DATA_DIR at one that is/);
    expect(out.stderr).not.toMatch(/refused the connection/);
  }, 30_000);

  it('npm start exits 2 naming DATA_DIR', async () => {
    const dataDir = blockedDataDir();
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    const code = await startSlackApp({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: 'secret-value-123',
      DATA_DIR: dataDir,
      COMPANY_CONTEXT: PROFILE,
    });
    expect(code).toBe(2);
    expect(stderr).toContain(`DATA_DIR: ${dataDir} is not a writable folder`);
  });

  it('creates a missing DATA_DIR', async () => {
    const dataDir = join(tempDir('leads-datadir-'), 'new', 'data');
    const out = await runCli(['find customers'], {
      DATA_DIR: dataDir,
      COMPANY_CONTEXT: PROFILE,
      OLLAMA_HOST: 'http://127.0.0.1:9',
      SEARCH_PROVIDERS: 'searxng',
      SEARXNG_URL: 'http://127.0.0.1:9',
      LLM_TIMEOUT_MS: '1000',
      SEARCH_TIMEOUT_MS: '1000',
    });
    expect(existsSync(dataDir)).toBe(true);
    expect(out.code).toBe(1);
  }, 30_000);
});
