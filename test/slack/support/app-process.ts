// Runs the real Slack app (dist/slack/main.js, as `npm start` does) or a worker (dist/worker.js, as `npm run
// worker` does) in its own process, so a test can kill it mid-run and start another on the same state. Whatever a
// test started is killed by the test setup's teardown if the test has not stopped it.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freeLoopbackPort } from '../../support/redis-server.js';
import { afterFile, afterTest, type Teardown } from '../../support/teardown.js';

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

function spawnEntry(
  entry: string,
  env: Record<string, string>,
  teardown: (t: Teardown) => void = afterTest,
): LeadsProcess & { isRunning(): boolean } {
  const child: ChildProcess = spawn(process.execPath, [resolve(REPO, entry)], {
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
  const process_: LeadsProcess & { isRunning(): boolean } = {
    pid: child.pid ?? 0,
    output: () => output,
    exited,
    isRunning: () => running,
    async kill(signal) {
      if (running) child.kill(signal);
      return exited;
    },
  };
  teardown({ close: () => process_.kill('SIGKILL') });
  return process_;
}

/** Starts the app and resolves once it answers HTTP (or rejects with its output if it exits or stalls).
 * `readyUrl` is what to poll instead of /healthz on PORT (Socket Mode has no HTTP server but METRICS_PORT's). */
export async function startAppProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
  readyUrl?: string,
): Promise<AppProcess> {
  const port = await freePort();
  const child = spawnEntry('dist/slack/main.js', { ...env, PORT: String(port) });
  const baseUrl = `http://127.0.0.1:${port}`;
  const app: AppProcess = { ...child, baseUrl, eventsUrl: `${baseUrl}/slack/events` };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.isRunning()) throw new Error(`the app exited before it was up:\n${child.output().slice(-2000)}`);
    try {
      await fetch(readyUrl ?? `${baseUrl}/healthz`);
      return app;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await app.kill('SIGKILL');
  throw new Error(
    `the app did not answer ${readyUrl ?? '/healthz'} within ${timeoutMs} ms:\n${child.output().slice(-2000)}`,
  );
}

/** Starts `npm run worker`'s program and resolves once it has said it is taking jobs. With `untilEndOfFile`, a
 * worker started inside a test lives on for the file's later tests (it is killed after the file). */
export async function startWorkerProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
  options: { untilEndOfFile?: boolean } = {},
): Promise<LeadsProcess> {
  const child = spawnEntry('dist/worker.js', env, options.untilEndOfFile ? afterFile : afterTest);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.output().includes('Leads worker is taking jobs')) return child;
    if (!child.isRunning()) throw new Error(`the worker exited before it was up:\n${child.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await child.kill('SIGKILL');
  throw new Error(`the worker did not start within ${timeoutMs} ms:\n${child.output().slice(-2000)}`);
}
