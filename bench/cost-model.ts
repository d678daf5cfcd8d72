import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one LLM call costs on the reference hardware, a local 8B model on one GPU (docs/architecture.md#the-cost-model). */
export const COST_MODEL = { baseMs: 300, perPromptTokenMs: 0.5, perOutputTokenMs: 10, slots: 2 } as const;
export const SEARCH_LATENCY_MS = 250;

export interface LoggedCall {
  runId: string;
  agent: string;
  promptTokens: number;
  outputTokens: number;
  error?: string | null;
}

export function callCost(call: { promptTokens: number; outputTokens: number }): number {
  return (
    COST_MODEL.baseMs +
    COST_MODEL.perPromptTokenMs * call.promptTokens +
    COST_MODEL.perOutputTokenMs * call.outputTokens
  );
}

/** Every LLM call of a run, read back from the product's own prompt log. */
export function callsOfRun(dataDir: string, runId: string): LoggedCall[] {
  const dir = join(dataDir, 'prompt_logs');
  return readdirSync(dir)
    .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as LoggedCall)
    .filter((call) => call.runId === runId && !call.error);
}

// The order in which pipeline stages depend on each other; calls within a stage run side by side.
const STAGE_ORDER = [
  'intent',
  'research.queries',
  'research.extract',
  'enrichment',
  'scoring.screen',
  'scoring.explain',
];
/** Searches on the chain: the research fan-out, then the per-company look-ups. */
const SEARCH_STEPS_ON_CHAIN = 2;

export interface LowerBound {
  /** Token work spread over the model's slots. */
  slotBoundMs: number;
  /** The longest call of each dependent stage, plus the searches between them. */
  chainBoundMs: number;
  lowerBoundMs: number;
}

/** The larger of (a) the run's LLM latency divided by the slots and (b) its chain of dependent steps. */
export function lowerBound(calls: LoggedCall[]): LowerBound {
  const slotBoundMs = calls.reduce((sum, call) => sum + callCost(call), 0) / COST_MODEL.slots;
  let chainBoundMs = SEARCH_STEPS_ON_CHAIN * SEARCH_LATENCY_MS;
  for (const stage of STAGE_ORDER) {
    const costs = calls.filter((c) => c.agent === stage).map(callCost);
    if (costs.length > 0) chainBoundMs += Math.max(...costs);
  }
  return { slotBoundMs, chainBoundMs, lowerBoundMs: Math.max(slotBoundMs, chainBoundMs) };
}

/** Calls per stage in the original design: one after another, two scoring calls per company. */
const SEED_CALLS: Record<string, (companies: number) => number> = {
  intent: () => 1,
  queries: () => 1,
  extraction: () => 1,
  enrichment: (n) => n,
  scoring: (n) => 2 * n,
};

/**
 * What the original sequential design would take on the same cost model, carrying the same tokens per
 * stage (which flatters it: it repeated the profile in each of its 93 prompts). Searches ran one by one.
 */
export function seedPlanMs(
  stageTokens: Record<keyof typeof SEED_CALLS, { promptTokens: number; outputTokens: number }>,
  companies: number,
  searches: number,
): { calls: number; ms: number } {
  let calls = 0;
  let ms = searches * SEARCH_LATENCY_MS;
  for (const [stage, count] of Object.entries(SEED_CALLS)) {
    const n = count(companies);
    const tokens = stageTokens[stage as keyof typeof SEED_CALLS] ?? { promptTokens: 0, outputTokens: 0 };
    calls += n;
    ms +=
      n * COST_MODEL.baseMs +
      COST_MODEL.perPromptTokenMs * tokens.promptTokens +
      COST_MODEL.perOutputTokenMs * tokens.outputTokens;
  }
  return { calls, ms };
}

/** Sums a run's logged tokens over the agents that make up one seed stage. */
export function tokensOf(calls: LoggedCall[], agents: string[]): { promptTokens: number; outputTokens: number } {
  return calls
    .filter((c) => agents.includes(c.agent))
    .reduce(
      (t, c) => ({ promptTokens: t.promptTokens + c.promptTokens, outputTokens: t.outputTokens + c.outputTokens }),
      { promptTokens: 0, outputTokens: 0 },
    );
}
