// Loaded before every test file (vitest.config.ts setupFiles): the teardown each file would otherwise repeat.
import { afterAll, afterEach, beforeEach } from 'vitest';
import { teardownHooks } from './support/teardown.js';

teardownHooks.enable();
beforeEach(() => teardownHooks.enterTest());
afterEach(() => teardownHooks.run('test'));
afterAll(() => teardownHooks.run('file'));
