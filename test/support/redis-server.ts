// A real redis-server for tests (never a mock): the one CI starts (TEST_REDIS_URL), or one started here from the
// distribution's `redis-server` binary on a free loopback port, in a temporary directory removed afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterTest } from './teardown.js';

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM: it writes its append-only file first when persistence is on). */
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port and data directory (what an operator's restart does). */
  restart(options?: { downMs?: number; whileDown?: () => Promise<void> }): Promise<void>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

/** True when the distribution's redis-server binary can be run here. */
export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Starts redis-server on a free loopback port; `persistent` keeps an append-only file so a restart keeps the data.
 * In a test, the test setup stops it and removes its folder after the test (or file); elsewhere call close(). */
export async function startRedisServer(options: { persistent?: boolean } = {}): Promise<RedisServer> {
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(join(tmpdir(), 'leads-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.persistent ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--loglevel',
    'warning',
  ];
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;

  async function start(): Promise<void> {
    const server = spawn('redis-server', args, { stdio: 'ignore' });
    child = server;
    await waitForPing(url, 10_000, () => server.exitCode !== null);
  }
  async function stop(): Promise<void> {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      current.once('exit', () => resolve());
      current.kill('SIGTERM');
    });
  }
  try {
    await start();
  } catch (error) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const server: RedisServer = {
    url,
    port,
    stop,
    async restart(restartOptions = {}) {
      await stop();
      const downUntil = Date.now() + (restartOptions.downMs ?? 0);
      await restartOptions.whileDown?.();
      await new Promise((r) => setTimeout(r, Math.max(0, downUntil - Date.now())));
      await start();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  afterTest({ close: server.close });
  return server;
}

async function waitForPing(url: string, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    while (Date.now() < deadline) {
      if (exited()) throw new Error(`redis-server exited before answering on ${url}`);
      try {
        if (redis.status !== 'ready') await redis.connect();
        if ((await redis.ping()) === 'PONG') return;
      } catch {
        redis.disconnect();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not answer on ${url} within ${timeoutMs} ms`);
  } finally {
    redis.disconnect();
  }
}

/** Removes every key under a REDIS_PREFIX, so a test leaves nothing behind in a Redis it shares. */
export async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } catch {
    // A Redis that is gone (a test stopped it) has nothing left to clean.
  } finally {
    redis.disconnect();
  }
}
