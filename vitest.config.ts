import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Checks every fake for requests it did not expect and tears down what the test started (test/support/teardown.ts).
    setupFiles: ['test/setup.ts'],
    // Builds dist/ when src/ changed, so CLI and app tests run the compiled program as users do.
    globalSetup: ['test/global-setup.ts'],
    // Environment stubs (vi.stubEnv) and spies end with the test that made them.
    unstubEnvs: true,
    restoreMocks: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own loopback fakes; running files in parallel keeps the suite quick.
    pool: 'forks',
  },
});
