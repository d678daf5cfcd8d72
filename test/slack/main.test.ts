import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/slack/main.js';

describe('npm start', () => {
  it('refuses to start without Slack credentials, naming each missing variable, with exit code 2', async () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    const code = await main({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: '' });
    expect(code).toBe(2);
    expect(stderr).toContain('SLACK_BOT_TOKEN: is required to run the Slack app');
    expect(stderr).toContain('SLACK_SIGNING_SECRET: is required to run the Slack app');
  });

  it('rejects a token of the wrong kind without echoing it', async () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    const code = await main({
      SLACK_BOT_TOKEN: 'xapp-this-is-not-a-bot-token',
      SLACK_SIGNING_SECRET: 'secret-value-123',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
    expect(stderr).not.toContain('xapp-this-is-not-a-bot-token');
  });
});
