// The CLI's cold start: from `node` starting to `--help` printed, through tsx (how the CLI ran before it was
// compiled) and compiled (dist/cli.js, what `npx leads` and `npm run leads` run now). Median of several runs.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO = resolve(import.meta.dirname, '..');

export interface ColdStartResult {
  runs: number;
  tsxMedianMs: number;
  compiledMedianMs: number;
}

function medianMs(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const out = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8' });
    times.push(performance.now() - started);
    if (out.status !== 0 || !out.stdout.startsWith('Usage:'))
      throw new Error(`${args.join(' ')} failed: ${out.stderr}`);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] as number);
}

/** Times `--help` both ways; dist/ must be built (npm run bench builds it first). */
export function measureColdStart(runs = 7): ColdStartResult {
  const tsx = pathToFileURL(resolve(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
  return {
    runs,
    tsxMedianMs: medianMs(['--import', tsx, resolve(REPO, 'src/cli.ts'), '--help'], runs),
    compiledMedianMs: medianMs([resolve(REPO, 'dist/cli.js'), '--help'], runs),
  };
}
