// Runs the real CLI the way a user does, in its own process.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO = resolve(import.meta.dirname, '../..');

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the whole process, start to exit. */
  ms: number;
}

/**
 * Runs the real CLI in its own process. `cwd` other than the repo root works too (the CLI reads .env from
 * its working directory), so tsx and the entry point are given as absolute paths.
 */
export function runCli(args: string[], env: Record<string, string>, options: { cwd?: string; viaNpm?: boolean } = {}): Promise<CliOutcome> {
  const tsx = pathToFileURL(resolve(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
  const [command, argv] = options.viaNpm
    ? ['npm', ['run', '--silent', 'leads', '--', ...args]]
    : [process.execPath, ['--import', tsx, resolve(REPO, 'src/cli.ts'), ...args]];
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(command as string, argv as string[], {
      cwd: options.cwd ?? REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr, ms: Date.now() - started }));
  });
}
