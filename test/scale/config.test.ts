// The scale-out settings: validated like every other variable, REDIS_URL's password never echoed or logged, and
// `npm run worker` refusing to start without what it needs. No Redis is needed for any of this.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createScrubber, secretsOf } from '../../src/secrets.js';
import { main as workerMain } from '../../src/worker.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('scale-out configuration', () => {
  it('defaults to one process: no Redis, SQLite under DATA_DIR, inline jobs, a 30 s grace period', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/leads-data' });
    expect(config.redis).toBeUndefined();
    expect(config.cacheUrl).toBe('sqlite:///tmp/leads-data/cache.sqlite');
    expect(config.jobs).toEqual({ workers: 'inline', concurrency: 8, stallMs: 30_000 });
    expect(config.shutdownGraceMs).toBe(30_000);
  });

  it('puts the cache and the run store on REDIS_URL when it is set', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://cache.internal:6379/2',
      REDIS_PREFIX: 'leads-prod',
      WORKERS: 'external',
      SHUTDOWN_GRACE_MS: '5000',
    });
    expect(config.redis).toEqual({ url: 'redis://cache.internal:6379/2', prefix: 'leads-prod' });
    expect(config.cacheUrl).toBe('redis://cache.internal:6379/2');
    expect(config.jobs.workers).toBe('external');
    expect(config.shutdownGraceMs).toBe(5000);
  });

  it('names each bad setting and what to put instead', () => {
    const message = problemsOf({
      REDIS_URL: 'http://cache:6379',
      WORKERS: 'some',
      JOB_STALL_MS: '10',
      SHUTDOWN_GRACE_MS: '-1',
      REDIS_PREFIX: 'a b',
    });
    expect(message).toContain('REDIS_URL: must be redis://');
    expect(message).toContain('WORKERS: must be inline');
    expect(message).toContain('JOB_STALL_MS: must be at least 1000');
    expect(message).toContain('SHUTDOWN_GRACE_MS: must be 0 or more');
    expect(message).toContain('REDIS_PREFIX: must be 1 to 40 letters');
  });

  it('refuses a SQLite cache beside REDIS_URL: processes sharing runs must share their state', () => {
    expect(problemsOf({ REDIS_URL: 'redis://cache:6379', CACHE_URL: 'sqlite:///tmp/x.sqlite' })).toContain(
      'CACHE_URL: must be a redis:// URL',
    );
  });

  it('never echoes a Redis password, and scrubs it from everything written', () => {
    const message = problemsOf({ REDIS_URL: 'http://:hunter2-redis-secret@cache:6379' });
    expect(message).toContain('REDIS_URL: must be redis://');
    expect(message).not.toContain('hunter2-redis-secret');
    const config = loadConfig({ REDIS_URL: 'redis://:hunter2-redis-secret@cache:6379' });
    const scrub = createScrubber(secretsOf(config));
    expect(scrub('connect redis://:hunter2-redis-secret@cache:6379 failed')).toBe(
      'connect redis://***@cache:6379 failed',
    );
    expect(scrub('AUTH failed for hunter2-redis-secret')).toBe('AUTH failed for [REDACTED]');
  });

  it('documents every scale-out variable in .env.example', () => {
    const example = readFileSync('.env.example', 'utf8');
    for (const variable of [
      'REDIS_URL',
      'REDIS_PREFIX',
      'WORKERS',
      'WORKER_CONCURRENCY',
      'JOB_STALL_MS',
      'SHUTDOWN_GRACE_MS',
    ]) {
      expect(example).toMatch(new RegExp(`^${variable}=`, 'm'));
    }
  });
});

describe('npm run worker', () => {
  it('refuses to start without REDIS_URL and the bot token, naming both, with exit code 2', async () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    expect(await workerMain({ SLACK_BOT_TOKEN: '', REDIS_URL: '' })).toBe(2);
    expect(stderr).toContain('REDIS_URL: is required to run a worker');
    expect(stderr).toContain('SLACK_BOT_TOKEN: is required to run a worker');
  });
});
