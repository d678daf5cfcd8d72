// Runs the real Slack app (`src/slack/main.ts`, as `npm start` does) or a worker (`src/worker.ts`, as `npm run
// worker` does) in its own process, so a test can kill it mid-run and start another on the same state.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freeLoopbackPort } from '../../support/redis-server.js';

const REPO = resolve(import.meta.dirname, '../../..');

export interface LeadsProcess {
  pid: number;
  /** Everything the process wrote (pino logs on stdout, errors on stderr), for failure messages. */
  output(): string;
  /** Sends the signal and resolves with the exit code once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code when the process exits by itself or by a signal. */
  exited: Promise<number | null>;
}

export interface AppProcess extends LeadsProcess {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  eventsUrl: string;
}

/** A port nothing listens on right now. */
export const freePort = freeLoopbackPort;

function spawnEntry(entry: string, env: Record<string, string>): LeadsProcess & { isRunning(): boolean } {
  const tsx = pathToFileURL(resolve(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
  const child: ChildProcess = spawn(process.execPath, ['--import', tsx, resolve(REPO, entry)], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  let running = true;
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      running = false;
      done(code);
    }),
  );
  return {
    pid: child.pid ?? 0,
    output: () => output,
    exited,
    isRunning: () => running,
    async kill(signal) {
      if (running) child.kill(signal);
      return exited;
    },
  };
}

/** Starts the app and resolves once it answers HTTP (or rejects with its output if it exits or stalls). */
export async function startAppProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<AppProcess> {
  const port = await freePort();
  const child = spawnEntry('src/slack/main.ts', { ...env, PORT: String(port) });
  const baseUrl = `http://127.0.0.1:${port}`;
  const app: AppProcess = { ...child, baseUrl, eventsUrl: `${baseUrl}/slack/events` };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.isRunning()) throw new Error(`the app exited before it was up:\n${child.output().slice(-2000)}`);
    try {
      await fetch(`${baseUrl}/healthz`);
      return app;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await app.kill('SIGKILL');
  throw new Error(`the app did not answer /healthz within ${timeoutMs} ms:\n${child.output().slice(-2000)}`);
}

/** Starts `npm run worker`'s entry and resolves once it has said it is taking jobs. */
export async function startWorkerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<LeadsProcess> {
  const child = spawnEntry('src/worker.ts', env);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.output().includes('Leads worker is taking jobs')) return child;
    if (!child.isRunning()) throw new Error(`the worker exited before it was up:\n${child.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await child.kill('SIGKILL');
  throw new Error(`the worker did not start within ${timeoutMs} ms:\n${child.output().slice(-2000)}`);
}
