// Small helpers shared by the reliability tests: catching a run's failure, running the real CLI, reading prompts.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RunFailedError } from '../../src/pipeline/types.js';
import type { FakeChatRequest } from '../fakes/fake-ollama.js';

const REPO = resolve(import.meta.dirname, '../..');

/** The RunFailedError a run rejected with; fails the test if it resolved or threw something else. */
export async function failureOf(work: Promise<unknown>): Promise<RunFailedError> {
  const outcome = await work.then(
    () => new Error('expected the run to fail, but it succeeded'),
    (error: unknown) => error,
  );
  if (!(outcome instanceof RunFailedError)) throw outcome;
  return outcome;
}

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
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
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const DATA_BLOCK = /<data label="[^"]*">\n[\s\S]*?\n<\/data>/g;

/** What a prompt says outside its <data> blocks: the only text the model may take as instructions. */
export function outsideDataBlocks(text: string): string {
  return text.replace(DATA_BLOCK, '[data]');
}

/** The user messages of every chat the fake LLM received (system messages are fixed text; assistant ones are echoes). */
export function promptsSent(calls: readonly FakeChatRequest[]): string[] {
  return calls.flatMap((call) => call.messages.filter((m) => m.role === 'user').map((m) => m.content));
}

/** The company names a scoring or enrichment prompt lists, in order of their ids. */
export function companiesInPrompt(prompt: string): string[] {
  return [...prompt.matchAll(/^Company \d+\n<data label="[^"]*">\nName: (.+)$/gm)].map((m) => m[1] as string);
}
