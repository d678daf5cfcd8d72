// The suite runs in either mode: single process (the default), or, with TEST_MODE=redis (`npm run test:redis`),
// every harness and test app on REDIS_URL, so the same tests prove both modes.
import { randomBytes } from 'node:crypto';

/** True when the whole suite runs in REDIS_URL mode. */
export const REDIS_MODE = process.env.TEST_MODE === 'redis';

/** A REDIS_PREFIX of its own for each harness or app, so test files sharing one Redis never see each other's keys. */
export function uniqueRedisPrefix(): string {
  return `test-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** The Redis the Redis-mode tests use ('' when there is none); read from the global setup. */
export async function testRedisUrl(): Promise<string> {
  // Imported lazily: the benchmark shares the test harnesses and does not run under vitest.
  const { inject } = await import('vitest');
  return inject('redisUrl');
}

/** Environment that puts a harness in the suite's mode: nothing, or REDIS_URL and a fresh REDIS_PREFIX. */
export async function modeEnv(): Promise<Record<string, string>> {
  if (!REDIS_MODE) return {};
  const url = await testRedisUrl();
  if (!url) throw new Error('TEST_MODE=redis needs a Redis: set TEST_REDIS_URL or install redis-server');
  return { REDIS_URL: url, REDIS_PREFIX: uniqueRedisPrefix() };
}
