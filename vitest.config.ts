import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own loopback fakes; running files in parallel keeps the suite quick.
    pool: 'forks',
    // A real redis-server for the Redis-mode tests (TEST_REDIS_URL, or one started for the run).
    globalSetup: ['test/support/redis-global-setup.ts'],
  },
});
