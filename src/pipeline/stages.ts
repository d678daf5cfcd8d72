import type { AgentContext } from '../agents/agent-context.js';
import { enrichCandidates } from '../agents/enrichment.js';
import { classifyIntent } from '../agents/intent.js';
import { planQueries } from '../agents/query-plan.js';
import { research } from '../agents/research.js';
import { rankLeads } from '../agents/rank-leads.js';
import { mergeEnrichedByDomain } from '../domain/leads.js';
import { noLeadsMessage } from '../domain/select-leads.js';
import { NoLeadsError, type PipelineStageName, type StoredRun } from '../domain/types.js';
import { identityOf, partitionHidden } from '../domain/feedback.js';
import type { CrmDirectory } from '../domain/crm-holdings.js';
import { checkCrm, withCrmMarks } from './crm-check.js';

// The pipeline as named stages. Each reads the run and returns only what it adds (a patch); it never changes the
// run itself and reports progress only through `progress`. The loop applies the patch and stores a checkpoint.

export type { PipelineStageName };

/** What a stage adds to the run. */
export type RunPatch = Partial<
  Pick<
    StoredRun,
    | 'intent'
    | 'top'
    | 'queries'
    | 'candidates'
    | 'pagesRead'
    | 'researchWarnings'
    | 'funnel'
    | 'enrichment'
    | 'scores'
    | 'leads'
    | 'warnings'
    | 'hidden'
    | 'crmHidden'
  >
>;

/** What a stage gets besides the run: the agents' context, the user's request and a progress reporter. */
export interface StageContext {
  agents: AgentContext;
  /** The request's text, after secrets were scrubbed. */
  text: string;
  /** Top N the user asked for explicitly (`--top`), which wins over the request's own count. */
  requestedTop?: number;
  /** A re-score's note from the user. */
  note?: string;
  /** The team's CRMs: companies they hold as customers or open deals are not scored. */
  crm?: readonly CrmDirectory[];
  progress(done: number, total: number, message: string): void;
}

export interface PipelineStage {
  name: PipelineStageName;
  /** True when a stored run already holds this stage's result, so a resumed run skips it. */
  isDone(run: StoredRun): boolean;
  run(run: StoredRun, ctx: StageContext): Promise<RunPatch>;
}

export const DEFAULT_TOP = 10;

const intentStage: PipelineStage = {
  name: 'intent',
  isDone: (run) => run.intent !== undefined,
  async run(_run, ctx) {
    ctx.progress(0, 1, 'Reading the request');
    const intent = await classifyIntent(ctx.text, ctx.agents);
    return { intent, top: ctx.requestedTop ?? intent.constraints.count ?? DEFAULT_TOP };
  },
};

const researchStage: PipelineStage = {
  name: 'research',
  isDone: (run) => run.candidates !== undefined,
  async run(run, ctx) {
    const intent = required(run.intent, 'intent');
    const queries = run.queries ?? (await planQueries(intent, ctx.text, ctx.agents));
    ctx.progress(0, queries.length, `Searching the web (${queries.length} queries)`);
    const found = await research(queries, intent, ctx.text, ctx.agents, (done, total) =>
      ctx.progress(done, total, `Searched ${done} of ${total} queries`),
    );
    if (found.results.length === 0) {
      throw new Error(
        'Web search returned no results for any query, so there is nothing to build leads from. Try a broader request, or check SEARCH_PROVIDERS.',
      );
    }
    const funnel = { ...found.funnel, withoutSource: 0, unscored: 0 };
    if (found.candidates.length === 0)
      throw new NoLeadsError(run.runId, funnel, noLeadsMessage(funnel, ctx.agents.profile.company.name));
    ctx.progress(found.queries.length, found.queries.length, `Found ${found.candidates.length} candidate companies`);
    return {
      queries: found.queries,
      candidates: found.candidates,
      pagesRead: found.pagesRead,
      researchWarnings: found.warnings,
      funnel,
    };
  },
};

const enrichmentStage: PipelineStage = {
  name: 'enrichment',
  isDone: (run) => run.enrichment !== undefined,
  async run(run, ctx) {
    const candidates = required(run.candidates, 'candidates');
    ctx.progress(0, candidates.length, 'Looking up each company');
    const enriched = await enrichCandidates(candidates, ctx.agents, (done, total) =>
      ctx.progress(done, total, `Enriched ${done} of ${total} companies`),
    );
    return { enrichment: mergeEnrichedByDomain(enriched) };
  },
};

const scoringStage: PipelineStage = {
  name: 'scoring',
  isDone: (run) => run.leads !== undefined,
  async run(run, ctx) {
    // Companies the team marked "Already a customer" or "Not a fit" are not scored, so they cannot take a place.
    const { kept: enrichment, hidden } = partitionHidden(
      required(run.enrichment, 'enrichment'),
      (company) => identityOf({ name: company.name, website: company.website?.value }),
      ctx.agents.team?.hidden ?? [],
    );
    // So are companies the team's CRM holds as customers or with an open deal; a CRM that does not answer is a warning.
    const crm = await checkCrm(enrichment, ctx.crm ?? [], ctx.agents);
    ctx.progress(0, crm.kept.length, ctx.note ? 'Re-scoring with your note' : 'Scoring fit');
    // The domain's one gate decides what may be shown; an empty result is a NoLeadsError with the numbers.
    const ranked = await rankLeads(
      {
        request: ctx.text,
        intent: required(run.intent, 'intent'),
        top: run.top,
        candidates: run.candidates ?? [],
        companies: crm.kept,
        research: run.funnel ?? { namesFound: 0, notInResults: 0, excluded: 0 },
        note: ctx.note,
      },
      ctx.agents,
      (done, total) => ctx.progress(done, total, `Scored ${done} of ${total} companies`),
    );
    return {
      scores: ranked.scores,
      leads: withCrmMarks(ranked.leads, crm.marks),
      warnings: [...(run.researchWarnings ?? []), ...crm.warnings, ...ranked.warnings],
      hidden,
      crmHidden: crm.hidden,
    };
  },
};

/** A fresh run goes through all four; a re-score only through scoring. */
export const PIPELINE: readonly PipelineStage[] = [intentStage, researchStage, enrichmentStage, scoringStage];
export const RESCORE: readonly PipelineStage[] = [scoringStage];

function required<T>(value: T | undefined, what: string): T {
  // A stage that runs before the one producing its input is a bug in the stage list, not a user error.
  if (value === undefined) throw new Error(`internal error: the ${what} stage result is missing`);
  return value;
}
