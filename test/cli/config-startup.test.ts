// A malformed .env or company profile stops start-up with the file, the field and the problem, exit code 2 for
// the CLI, and never echoes a secret back.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentWithDotEnv, loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { loadCompanyProfile } from '../../src/profile/company-profile.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const PROFILE = resolve('data/axlewave_context/company_context.json');
const PASTED_TOKEN = 'xoxb-2222-3333-pastedWithoutAKey';
const BAD_TOKEN = 'not-a-bot-token-but-still-secret-9f8e7d';

/** A folder holding these files, removed after the test. */
function folderWith(files: Record<string, string>): string {
  const dir = tempDir('leads-config-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('malformed .env', () => {
  it('names the file and line of a line that is not KEY=VALUE, without echoing a pasted token', () => {
    const path = join(
      folderWith({ '.env': `PORT=3000\n${PASTED_TOKEN}\nOLLAMA_HOST http://127.0.0.1:11434\n` }),
      '.env',
    );
    const error = configErrorOf(() => loadConfig(environmentWithDotEnv({}, path)));

    expect(error.message).toContain(`${path}:2: is not KEY=VALUE`);
    expect(error.message).toContain(`${path}:3: is not KEY=VALUE (starts with "OLLAMA_HOST")`);
    expect(error.message).not.toContain(PASTED_TOKEN);
    expect(error.message).not.toContain('xoxb-2222');
  });

  it('names the file, each bad variable and its problem, without echoing an invalid token', () => {
    const path = join(
      folderWith({ '.env': `PORT=abc\nOLLAMA_HOST=nope\nSLACK_BOT_TOKEN=${BAD_TOKEN}\nLLM_TIMEOUT_MS=0\n` }),
      '.env',
    );
    const error = configErrorOf(() => loadConfig(environmentWithDotEnv({}, path)));

    expect(error.message).toContain(`PORT: must be a whole number (got "abc") (set in ${path})`);
    expect(error.message).toContain(
      `OLLAMA_HOST: must be an http(s) URL such as http://127.0.0.1:11434 (got "nope") (set in ${path})`,
    );
    expect(error.message).toContain(`SLACK_BOT_TOKEN: must be a bot token starting with xoxb- (set in ${path})`);
    expect(error.message).toContain(`LLM_TIMEOUT_MS: must be at least 1 (got "0") (set in ${path})`);
    expect(error.message).not.toContain(BAD_TOKEN);
    expect(error.issues.map((i) => i.variable).sort()).toEqual([
      'LLM_TIMEOUT_MS',
      'OLLAMA_HOST',
      'PORT',
      'SLACK_BOT_TOKEN',
    ]);
  });

  it('does not echo a secret pasted into the wrong variable', () => {
    const error = configErrorOf(() =>
      loadConfig({ TAVILY_API_KEY: 'tvly-wrongplace-123456', OLLAMA_HOST: 'tvly-wrongplace-123456' }),
    );
    expect(error.message).toMatch(/OLLAMA_HOST: must be an http\(s\) URL/);
    expect(error.message).not.toContain('tvly-wrongplace-123456');
  });

  it('the CLI exits 2 naming .env, the variable and the problem, with nothing on standard output and no secret echoed', async () => {
    const cwd = folderWith({ '.env': `PORT=abc\nSLACK_BOT_TOKEN=${BAD_TOKEN}\n${PASTED_TOKEN}\n` });
    const broken = await runCli(['find customers', '--json'], { COMPANY_CONTEXT: PROFILE }, { cwd });
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('.env:3: is not KEY=VALUE');
    expect(broken.stderr).not.toContain(PASTED_TOKEN);

    writeFileSync(join(cwd, '.env'), `PORT=abc\nSLACK_BOT_TOKEN=${BAD_TOKEN}\n`);
    const bad = await runCli(['find customers', '--json'], { COMPANY_CONTEXT: PROFILE }, { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('PORT: must be a whole number (got "abc") (set in .env)');
    expect(bad.stderr).toContain('SLACK_BOT_TOKEN: must be a bot token starting with xoxb- (set in .env)');
    expect(bad.stderr).not.toContain(BAD_TOKEN);
  }, 30_000);
});

describe('malformed company profile', () => {
  it('names the file and the JSON problem when the profile is not JSON', () => {
    const path = join(folderWith({ 'profile.json': '{ "company": { "name": "AxleWave", } ' }), 'profile.json');
    const error = configErrorOf(() => loadCompanyProfile(path));
    expect(error.message).toContain(`Company profile ${path} is not valid JSON`);
    expect(error.message).toMatch(/position \d+|line \d+|Expected/);
  });

  it('names the file and every missing or bad field', () => {
    const profile = JSON.parse(readFileSync(PROFILE, 'utf8')) as Record<string, Record<string, unknown>>;
    delete profile.idealCustomers!.primary;
    profile.company!.summary = 'too short';
    const path = join(folderWith({ 'profile.json': JSON.stringify(profile) }), 'profile.json');
    const error = configErrorOf(() => loadCompanyProfile(path));
    expect(error.message).toContain(`Company profile ${path} is invalid`);
    expect(error.message).toMatch(/idealCustomers\.primary: .*expected array/);
    expect(error.message).toMatch(/company\.summary: .*20/);
  });

  it('the CLI exits 2 naming the profile file when it is not JSON or missing', async () => {
    const cwd = folderWith({ 'profile.json': 'not json at all' });
    const invalid = await runCli(['find customers'], { COMPANY_CONTEXT: join(cwd, 'profile.json') }, { cwd });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain(`Company profile ${join(cwd, 'profile.json')} is not valid JSON`);
    const missing = await runCli(['find customers'], { COMPANY_CONTEXT: join(cwd, 'nowhere.json') }, { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Company profile .*nowhere\.json could not be read \(ENOENT\); set COMPANY_CONTEXT/);
  }, 30_000);
});
