// What reading list pages in full costs and finds, on the cost model: the same fresh run on a web with rankings, with
// PAGE_READER=tavily and =none (time, LLM calls, tokens, pages read, candidates), and the web: a ranking of
// 20 dealer groups whose snippet names three, asked for `--top 30`, with and without reading.
import { rankingWeb } from '../test/support/fake-list-pages.js';
import { startPipelineHarness } from '../test/support/pipeline-harness.js';
import type { FakeCostModel } from '../test/fakes/fake-ollama.js';

/** What one Tavily extract request takes on the bench (a basic extract of a few URLs). */
export const EXTRACT_LATENCY_MS = 500;

export interface ReadingRun {
  wallMs: number;
  llmCalls: number;
  promptTokens: number;
  outputTokens: number;
  pagesRead: number;
  candidates: number;
  leads: number;
}

export interface PageReadingResult {
  withReader: ReadingRun;
  withoutReader: ReadingRun;
  ranking: { withoutReader: number; withReader: number; listed: number };
}

async function freshRun(
  reader: 'tavily' | 'none',
  options: { cost: FakeCostModel; searchLatencyMs: number },
  web: Parameters<typeof startPipelineHarness>[0],
  text: string,
  top?: number,
): Promise<ReadingRun> {
  const h = await startPipelineHarness({
    ...web,
    cost: options.cost,
    searchLatencyMs: options.searchLatencyMs,
    extractLatencyMs: EXTRACT_LATENCY_MS,
    env: { LOG_LEVEL: 'warn', PAGE_READER: reader },
  });
  try {
    const started = performance.now();
    const doc = await h.services.orchestrator.run({ text, scope: `bench-read-${reader}`, top });
    const run = await h.services.orchestrator.getRun(`bench-read-${reader}`, doc.runId);
    const s = doc.stats;
    return {
      wallMs: Math.round(performance.now() - started),
      llmCalls: s.llmCalls,
      promptTokens: s.promptTokens,
      outputTokens: s.outputTokens,
      pagesRead: s.pagesRead ?? 0,
      candidates: run?.candidates?.length ?? 0,
      leads: doc.leads.length,
    };
  } finally {
    await h.close();
  }
}

/** Both comparisons, each run on fakes of its own so no cache is shared. */
export async function runPageReading(options: {
  cost: FakeCostModel;
  searchLatencyMs: number;
}): Promise<PageReadingResult> {
  const listWeb = { web: { listPages: true } };
  const withReader = await freshRun('tavily', options, listWeb, 'find me potential customers');
  const withoutReader = await freshRun('none', options, listWeb, 'find me potential customers');
  const web = rankingWeb(20, 14);
  const engine = { engine: web };
  const before = await freshRun('none', options, engine, 'find me potential customers', 30);
  const after = await freshRun('tavily', options, engine, 'find me potential customers', 30);
  return {
    withReader,
    withoutReader,
    ranking: { withoutReader: before.leads, withReader: after.leads, listed: web.companies.length },
  };
}
