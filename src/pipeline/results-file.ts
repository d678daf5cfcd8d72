import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileStamp } from '../domain/file-stamp.js';
import type { LeadsDocument } from '../domain/types.js';

/**
 * Writes results_cache/<intent>_<stamp>.json; Slack workspaces get a folder each, the CLI the top level.
 * Two runs in the same second get -2, -3… rather than overwrite each other.
 */
export async function writeResultsFile(
  dataDir: string,
  scope: string,
  doc: LeadsDocument,
  at: Date,
  scrub: (text: string) => string = (text) => text,
): Promise<string> {
  const dir =
    scope === 'cli'
      ? join(dataDir, 'results_cache')
      : join(dataDir, 'results_cache', scope.replace(/[^A-Za-z0-9_-]/g, '_'));
  await mkdir(dir, { recursive: true });
  const base = `${doc.intent.intent}_${fileStamp(at)}`;
  for (let attempt = 1; ; attempt++) {
    const path = join(dir, attempt === 1 ? `${base}.json` : `${base}-${attempt}.json`);
    try {
      await writeFile(path, scrub(`${JSON.stringify(doc, null, 2)}\n`), { flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 50) throw error;
    }
  }
}
