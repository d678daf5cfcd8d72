// npm start with a token Slack rejects, or a Slack it cannot reach, stops with exit 2 naming the variable and
// what to do: no stack trace, no "listening" first, no unhandled rejection later.
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/slack/main.js';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { tempDir } from '../support/temp-dir.js';

async function start(env: Record<string, string>): Promise<{ code: number | 'still running'; stderr: string }> {
  const dataDir = tempDir('leads-start-');
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const running = main({
    SLACK_BOT_TOKEN: 'xoxb-111-222-wellformedbutwrong',
    SLACK_SIGNING_SECRET: 'signing-secret-0123456789',
    PORT: '0',
    DATA_DIR: dataDir,
    COMPANY_CONTEXT: resolve('data/axlewave_context/company_context.json'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const code = await Promise.race([
    running,
    new Promise<'still running'>((done) => setTimeout(() => done('still running'), 15_000)),
  ]);
  if (code === 'still running') process.emit('SIGTERM');
  return { code, stderr };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('npm start talking to Slack for the first time', () => {
  it('a bot token Slack rejects exits 2 naming SLACK_BOT_TOKEN and where to copy the right one', async () => {
    const fake = await startFakeSlack();
    fake.failWith('auth.test', 'invalid_auth');
    const { code, stderr } = await start({ SLACK_API_URL: fake.apiUrl });
    expect(code).toBe(2);
    expect(stderr).toContain(
      'SLACK_BOT_TOKEN: Slack rejected it (invalid_auth): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('wellformedbutwrong');
  }, 30_000);

  it('an unreachable Slack exits 2 naming SLACK_API_URL, quickly', async () => {
    const started = Date.now();
    const { code, stderr } = await start({ SLACK_API_URL: `http://127.0.0.1:${await closedPort()}/api/` });
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /SLACK_API_URL: Slack could not be reached at http:\/\/127\.0\.0\.1:\d+\/api\/ \(.+\); check the network or proxy, or SLACK_API_URL/,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('an app-level token Slack rejects (Socket Mode) exits 2 naming SLACK_APP_TOKEN', async () => {
    const fake = await startFakeSlack();
    fake.failWith('apps.connections.open', 'invalid_auth');
    const { code, stderr } = await start({ SLACK_API_URL: fake.apiUrl, SLACK_APP_TOKEN: 'xapp-1-A0-wrongtoken' });
    expect(code).toBe(2);
    expect(stderr).toContain('SLACK_APP_TOKEN: Slack rejected it (invalid_auth)');
  }, 30_000);
});
