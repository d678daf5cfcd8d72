import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  agentLabel,
  CACHE_KINDS,
  modelLabel,
  QUEUE_STATES,
  RUN_INTENTS,
  RUN_OUTCOMES,
  SEARCH_OUTCOMES,
  SEARCH_PROVIDERS,
  SLACK_OUTCOMES,
  SLACK_SURFACES,
  slackErrorLabel,
  slackMethodLabel,
  STAGES,
  type CacheKindLabel,
  type LlmOutcome,
  type QueueState,
  type RunIntent,
  type RunOutcome,
  type SearchOutcomeLabel,
  type SearchProviderLabel,
  type SlackOutcome,
  type SlackSurface,
  type StageLabel,
} from './labels.js';

export * from './labels.js';

/** A run with fewer leads than this (or than it asked for, if fewer) counts as low quality. */
export const LOW_QUALITY_LEADS = 5;

/** How a run ended, for leads_runs_total and the per-run histograms. */
export interface RunEnd {
  outcome: RunOutcome;
  intent: RunIntent;
  /** Absent for a run marked interrupted at start-up (its time is unknown). */
  durationMs?: number;
  /** Leads shown; absent for a run that failed for another reason than finding none. */
  leads?: number;
  /** How many leads were asked for. */
  top?: number;
}

/** One attempt at a model call: answered (with its tokens) or failed. */
export interface LlmAttempt {
  agent: string;
  model: string;
  outcome: LlmOutcome;
  latencyMs: number;
  promptTokens?: number;
  outputTokens?: number;
}

/** Job counts of the run queue by state. */
export type QueueCounts = Record<QueueState, number>;

/** What the app records; created once by the wiring and passed down, so tests can make their own. */
export interface Metrics {
  /** The registry GET /metrics serves (empty when metrics are off). */
  readonly registry: Registry;
  runEnded(run: RunEnd): void;
  stageTimed(stage: StageLabel, ms: number): void;
  llmAttempt(attempt: LlmAttempt): void;
  /** Marks a model call in flight; call the returned function when it settles. */
  llmStarted(): () => void;
  searchRequest(provider: SearchProviderLabel, outcome: SearchOutcomeLabel): void;
  cacheLookup(kind: CacheKindLabel, hit: boolean): void;
  slackRequest(surface: SlackSurface, outcome: SlackOutcome): void;
  slackAck(ms: number): void;
  /** A Web API call that failed (429s included, even when the client retries them). */
  slackApiError(method: string, error: string): void;
  /** Adds leads_queue_jobs{state}, read from `collect` at each scrape; only a process with a queue calls it. */
  registerQueueGauge(collect: () => Promise<QueueCounts>): void;
}

const seconds = (ms: number) => Math.max(0, ms) / 1000;

/** The metrics every dashboard and alert rule relies on, registered on a registry of their own. */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const runs = new Counter({
    name: 'leads_runs_total',
    help: 'Runs that ended, by outcome and intent',
    labelNames: ['outcome', 'intent'] as const,
    registers,
  });
  const runDuration = new Histogram({
    name: 'leads_run_duration_seconds',
    help: 'Wall time of a run from start to result or failure',
    labelNames: ['intent'] as const,
    buckets: [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600],
    registers,
  });
  const stageDuration = new Histogram({
    name: 'leads_stage_duration_seconds',
    help: 'Wall time of one pipeline stage',
    labelNames: ['stage'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
    registers,
  });
  const llmCalls = new Counter({
    name: 'leads_llm_calls_total',
    help: 'Model call attempts by agent, model and outcome (ok, retry, error)',
    labelNames: ['agent', 'model', 'outcome'] as const,
    registers,
  });
  const llmTokens = new Counter({
    name: 'leads_llm_tokens_total',
    help: 'Tokens of answered model calls by agent and kind (prompt, output)',
    labelNames: ['agent', 'kind'] as const,
    registers,
  });
  const llmDuration = new Histogram({
    name: 'leads_llm_call_duration_seconds',
    help: 'Time of one model call attempt, answered or failed',
    labelNames: ['agent'] as const,
    buckets: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120],
    registers,
  });
  const llmInFlight = new Gauge({ name: 'leads_llm_in_flight', help: 'Model calls being served right now', registers });
  const searches = new Counter({
    name: 'leads_search_requests_total',
    help: 'Search provider requests by provider and outcome',
    labelNames: ['provider', 'outcome'] as const,
    registers,
  });
  const cacheLookups = new Counter({
    name: 'leads_cache_lookups_total',
    help: 'Cache lookups by kind and result (hit, miss)',
    labelNames: ['kind', 'result'] as const,
    registers,
  });
  const leadsPerRun = new Histogram({
    name: 'leads_leads_per_run',
    help: 'Leads shown by a run that finished or found none',
    buckets: [0, 1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 50],
    registers,
  });
  const lowQuality = new Counter({
    name: 'leads_low_quality_runs_total',
    help: `Runs with fewer than ${LOW_QUALITY_LEADS} leads (or fewer than asked, when fewer were asked)`,
    registers,
  });
  const slackRequests = new Counter({
    name: 'leads_slack_requests_total',
    help: 'Slack deliveries by surface and outcome',
    labelNames: ['surface', 'outcome'] as const,
    registers,
  });
  const slackAck = new Histogram({
    name: 'leads_slack_ack_duration_seconds',
    help: 'Time from receiving a Slack delivery to acknowledging it (Slack allows 3 s)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers,
  });
  const slackApiErrors = new Counter({
    name: 'leads_slack_api_errors_total',
    help: 'Failed Slack Web API calls by method and error (ratelimited for 429)',
    labelNames: ['method', 'error'] as const,
    registers,
  });

  // Series of the fixed label sets exist from the start, so rates and ratios see the first event too.
  for (const outcome of RUN_OUTCOMES) for (const intent of RUN_INTENTS) runs.inc({ outcome, intent }, 0);
  for (const stage of STAGES) stageDuration.zero({ stage });
  for (const provider of SEARCH_PROVIDERS)
    for (const outcome of SEARCH_OUTCOMES) searches.inc({ provider, outcome }, 0);
  for (const kind of CACHE_KINDS) for (const result of ['hit', 'miss']) cacheLookups.inc({ kind, result }, 0);
  for (const surface of SLACK_SURFACES)
    for (const outcome of SLACK_OUTCOMES) slackRequests.inc({ surface, outcome }, 0);

  return {
    registry,
    runEnded(run) {
      runs.inc({ outcome: run.outcome, intent: run.intent });
      if (run.durationMs !== undefined) runDuration.observe({ intent: run.intent }, seconds(run.durationMs));
      if (run.leads !== undefined) {
        leadsPerRun.observe(run.leads);
        if (run.leads < Math.min(LOW_QUALITY_LEADS, run.top ?? LOW_QUALITY_LEADS)) lowQuality.inc();
      }
    },
    stageTimed: (stage, ms) => stageDuration.observe({ stage }, seconds(ms)),
    llmAttempt(attempt) {
      const agent = agentLabel(attempt.agent);
      llmCalls.inc({ agent, model: modelLabel(attempt.model), outcome: attempt.outcome });
      llmDuration.observe({ agent }, seconds(attempt.latencyMs));
      if (attempt.promptTokens) llmTokens.inc({ agent, kind: 'prompt' }, attempt.promptTokens);
      if (attempt.outputTokens) llmTokens.inc({ agent, kind: 'output' }, attempt.outputTokens);
    },
    llmStarted() {
      llmInFlight.inc();
      let settled = false;
      return () => {
        if (settled) return;
        settled = true;
        llmInFlight.dec();
      };
    },
    searchRequest: (provider, outcome) => searches.inc({ provider, outcome }),
    cacheLookup: (kind, hit) => cacheLookups.inc({ kind, result: hit ? 'hit' : 'miss' }),
    slackRequest: (surface, outcome) => slackRequests.inc({ surface, outcome }),
    slackAck: (ms) => slackAck.observe(seconds(ms)),
    slackApiError: (method, error) =>
      slackApiErrors.inc({ method: slackMethodLabel(method), error: slackErrorLabel(error) }),
    registerQueueGauge(collect) {
      registry.removeSingleMetric('leads_queue_jobs');
      new Gauge({
        name: 'leads_queue_jobs',
        help: 'Jobs in the run queue by state',
        labelNames: ['state'] as const,
        registers,
        async collect() {
          this.reset();
          // A queue that cannot be read leaves no series (stale), rather than failing the whole scrape.
          const counts = await collect().catch(() => undefined);
          if (counts) for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
        },
      });
    },
  };
}

/** Metrics switched off: every record call does nothing and the registry stays empty (benchmarks, one-shot CLI runs). */
export function disabledMetrics(): Metrics {
  const nothing = () => undefined;
  return {
    registry: new Registry(),
    runEnded: nothing,
    stageTimed: nothing,
    llmAttempt: nothing,
    llmStarted: () => nothing,
    searchRequest: nothing,
    cacheLookup: nothing,
    slackRequest: nothing,
    slackAck: nothing,
    slackApiError: nothing,
    registerQueueGauge: nothing,
  };
}
