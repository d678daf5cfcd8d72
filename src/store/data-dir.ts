import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';

/**
 * Start-up check that DATA_DIR exists (it is created if missing) and takes a file, so a run never does all its
 * model work only to fail on writing; throws a ConfigError naming the folder, the reason and what to do.
 */
export function ensureWritableDataDir(dir: string): void {
  const probe = join(dir, `.write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const problem = `${dir} is not a writable folder (${code}); create it, make it writable for this user, or point DATA_DIR at one that is`;
    throw new ConfigError(`Configuration error:\n  DATA_DIR: ${problem}`, [{ variable: 'DATA_DIR', problem }]);
  }
}
