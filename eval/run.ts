// `npm run eval [-- --json]`: the real pipeline, through the real ollama and @tavily/core clients, on the committed
// recorded-shape corpus (test/fixtures/eval/), against the misbehaving fake model at three levels. Prints lead
// precision, field accuracy, facts kept, invented companies, competitor leaks and leads without a rationale.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { startFakeOllama } from '../test/fakes/fake-ollama.js';
import { startFakeTavily } from '../test/fakes/fake-tavily.js';
import { wantedKind } from '../test/fakes/fake-world.js';
import { misbehavingModel } from '../test/fakes/misbehaving-model.js';
import { LEVELS, type MisbehaviourLevel } from '../test/fakes/misbehaviour.js';
import { corpusPage, corpusSearch, corpusWorld } from './eval-world.js';
import { addRun, emptyTally, figures, type Figures } from './quality.js';

const REQUESTS = ['find me potential customers', 'find me potential partners', 'find customers and partners'];
const SEEDS = [1, 2, 3, 4, 5];
const json = process.argv.includes('--json');

async function main(): Promise<void> {
  const model = misbehavingModel({ world: corpusWorld() });
  const ollama = await startFakeOllama({ respond: model.respond });
  const tavily = await startFakeTavily({ results: corpusSearch(), pages: corpusPage() });
  const dataDir = mkdtempSync(join(tmpdir(), 'leads-eval-'));
  const services = createServices(
    loadConfig({
      OLLAMA_HOST: ollama.url,
      SEARCH_PROVIDERS: 'tavily',
      TAVILY_API_URL: tavily.url,
      TAVILY_API_KEY: 'tvly-eval-key-000111',
      DATA_DIR: dataDir,
      CACHE_URL: 'memory://',
      COMPANY_CONTEXT: join(import.meta.dirname, '../data/axlewave_context/company_context.json'),
      LOG_LEVEL: 'silent',
      // `PAGE_READER=none npm run eval` measures what the corpus yields without reading list pages.
      PAGE_READER: process.env.PAGE_READER ?? 'tavily',
    }),
  );
  const levels = {} as Record<MisbehaviourLevel, Figures>;
  try {
    for (const level of ['clean', 'typical', 'hostile'] as const) {
      const tally = emptyTally();
      let n = 0;
      for (const text of REQUESTS) {
        for (const seed of SEEDS) {
          model.configure({ seed, misbehaviour: LEVELS[level] });
          model.resetLog();
          const scope = `eval-${level}-${n++}`;
          try {
            const doc = await services.orchestrator.run({ text, scope, fresh: true });
            addRun(tally, doc, await services.orchestrator.getRun(scope, doc.runId), model.log, wantedKind(text));
          } catch {
            tally.runs += 1;
            tally.failedRuns += 1;
          }
        }
      }
      levels[level] = figures(tally);
      if (!json) process.stderr.write(`${level}: ${tally.runs} runs\n`);
    }
  } finally {
    await services.close();
    await Promise.all([ollama.close(), tavily.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(
    json ? `${JSON.stringify({ requests: REQUESTS, seeds: SEEDS, levels }, null, 2)}\n` : renderTable(levels),
  );
}

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);

/** The Markdown table the README's Quality section shows. */
export function renderTable(levels: Record<MisbehaviourLevel, Figures>): string {
  const rows: [string, (f: Figures) => string][] = [
    ['runs (failed)', (f) => `${f.runs} (${f.failedRuns})`],
    ['leads shown', (f) => String(f.leads)],
    ['recall@30', (f) => pct(f.recallAt30)],
    ['lead precision', (f) => pct(f.leadPrecision)],
    [
      'website: correct among shown / shown among known',
      (f) => `${pct(f.website.correctAmongShown)} / ${pct(f.website.shownAmongKnown)}`,
    ],
    [
      'HQ: correct among shown / shown among known',
      (f) => `${pct(f.headquarters.correctAmongShown)} / ${pct(f.headquarters.shownAmongKnown)}`,
    ],
    [
      'size: correct among shown / shown among known',
      (f) => `${pct(f.size.correctAmongShown)} / ${pct(f.size.shownAmongKnown)}`,
    ],
    ['true facts kept', (f) => pct(f.trueFactsKept)],
    ['false facts kept', (f) => pct(f.falseFactsKept)],
    ['invented-company rate', (f) => pct(f.inventedCompanyRate)],
    ['competitor leaks', (f) => String(f.competitorLeaks)],
    ['leads without rationale', (f) => String(f.leadsWithoutRationale)],
  ];
  const lines = ['| metric | clean | typical | hostile |', '|---|---|---|---|'];
  for (const [name, cell] of rows)
    lines.push(`| ${name} | ${cell(levels.clean)} | ${cell(levels.typical)} | ${cell(levels.hostile)} |`);
  return `${lines.join('\n')}\n`;
}

await main();
