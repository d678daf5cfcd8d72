// Vitest global setup: finds the Redis the Redis-mode tests use. CI (.ci/run) starts one and sets TEST_REDIS_URL;
// elsewhere a redis-server is started for the run when the binary is installed. With neither, the Redis tests
// are skipped on a developer's machine, but under CI=true that is an error: they must never be skipped silently.
import type { TestProject } from 'vitest/node';
import { redisServerInstalled, startRedisServer, type RedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** redis://host:port for the Redis-mode tests, or '' when none is available. */
    redisUrl: string;
    /** True when tests may start their own redis-server (the binary is installed), e.g. to restart it. */
    redisServerInstalled: boolean;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const installed = redisServerInstalled();
  let url = process.env.TEST_REDIS_URL ?? '';
  let server: RedisServer | undefined;
  if (!url && installed) {
    server = await startRedisServer();
    url = server.url;
  }
  if (!url && process.env.CI === 'true') {
    throw new Error(
      'CI=true but no Redis for the Redis-mode tests: set TEST_REDIS_URL (.ci/run starts a redis-server) or install redis-server.',
    );
  }
  if (!url)
    process.stderr.write(
      'No Redis (TEST_REDIS_URL unset, redis-server not installed): the Redis-mode tests are skipped.\n',
    );
  project.provide('redisUrl', url);
  project.provide('redisServerInstalled', installed);
  return async () => {
    await server?.close();
  };
}
