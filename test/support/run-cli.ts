// Runs the real CLI the way a user does, in its own process, from the compiled dist/ (test/global-setup.ts builds it).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

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
 * its working directory), so the entry point is given as an absolute path. `viaNpx` runs it exactly as the
 * README writes it, `npx leads …`, from the repository root.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; viaNpx?: boolean } = {},
): Promise<CliOutcome> {
  const [command, argv] = options.viaNpx
    ? ['npx', ['leads', ...args]]
    : [process.execPath, [resolve(REPO, 'dist/cli.js'), ...args]];
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(command as string, argv as string[], {
      cwd: options.viaNpx ? REPO : (options.cwd ?? REPO),
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
