// Temporary folders for tests, removed after the test (or file) that made them: a run of the suite leaves nothing in /tmp.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterTest } from './teardown.js';

/** A new empty folder under the system temp dir, deleted by the test setup after the current test. */
export function tempDir(prefix = 'leads-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterTest({ close: () => rmSync(dir, { recursive: true, force: true }) });
  return dir;
}
