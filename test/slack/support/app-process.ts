// Runs the real Slack app (dist/slack/main.js, as `npm start` does) in its own process, in HTTP mode on a
// free port, so a test can kill it mid-run and start another on the same data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterTest } from '../../support/teardown.js';

const REPO = resolve(import.meta.dirname, '../../..');

export interface AppProcess {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  eventsUrl: string;
  /** Everything the process wrote (pino logs on stdout, errors on stderr), for failure messages. */
  output(): string;
  /** Sends the signal and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Starts the app and resolves once it answers HTTP (or rejects with its output if it exits or stalls).
 * `readyUrl` is what to poll instead of /healthz on PORT (Socket Mode has no HTTP server but METRICS_PORT's). */
export async function startAppProcess(env: Record<string, string>, timeoutMs = 20_000, readyUrl?: string): Promise<AppProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [resolve(REPO, 'dist/slack/main.js')], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  let exited = false;
  const exit = new Promise<void>((done) =>
    child.once('exit', () => {
      exited = true;
      done();
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const app: AppProcess = {
    baseUrl,
    eventsUrl: `${baseUrl}/slack/events`,
    output: () => output,
    async kill(signal) {
      if (!exited) child.kill(signal);
      await exit;
    },
  };
  afterTest({ close: () => app.kill('SIGKILL') });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the app exited before it was up:\n${output.slice(-2000)}`);
    try {
      await fetch(readyUrl ?? `${baseUrl}/healthz`);
      return app;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await app.kill('SIGKILL');
  throw new Error(`the app did not answer ${readyUrl ?? '/healthz'} within ${timeoutMs} ms:\n${output.slice(-2000)}`);
}
