// Tests start the CLI and the Slack app the way users do, from the compiled dist/ (what `npm install` builds and
// `npx leads` / `npm start` run). Rebuild it first when anything it is built from is newer than the last build.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
const STAMP = join(REPO, 'dist/.tsbuildinfo');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export default function buildDist(): void {
  const sources = Math.max(
    newestMtime(join(REPO, 'src')),
    ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => newestMtime(join(REPO, f))),
  );
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: REPO,
    stdio: 'inherit',
  });
  // An incremental build with nothing to do leaves the stamp untouched; mark this build as current.
  const now = new Date();
  utimesSync(STAMP, now, now);
}
