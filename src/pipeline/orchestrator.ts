import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { AgentContext } from '../agents/agent-context.js';
import { enrichCandidates } from '../agents/enrichment.js';
import { classifyIntent } from '../agents/intent.js';
import { planQueries } from '../agents/query-plan.js';
import { research } from '../agents/research.js';
import { scoreCompanies } from '../agents/scoring.js';
import { describeError, RunAbortedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { LlmClient } from '../llm/types.js';
import type { CompanyProfile } from '../profile/company-profile.js';
import type { SearchClient } from '../search/types.js';
import type { WorkCache } from '../store/cache.js';
import type { RunStore } from '../store/run-store.js';
import { newRunId } from '../domain/run-id.js';
import { buildLeads, compareRanks, mergeEnrichedByDomain } from '../domain/leads.js';
import { writeResultsFile } from './results-file.js';
import { emptyStats, meterInto } from '../domain/run-stats.js';
import {
  RunFailedError,
  type LeadsDocument,
  type Orchestrator,
  type ProgressEvent,
  type RescoreRequest,
  type RescoreResult,
  type RunRequest,
  type Stage,
  type StoredRun,
} from '../domain/types.js';

export const DEFAULT_TOP = 10;

export interface OrchestratorDeps {
  llm: LlmClient;
  search: SearchClient;
  cache: WorkCache;
  runs: RunStore;
  profile: CompanyProfile;
  logger: Logger;
  dataDir: string;
  scrub?: (text: string) => string;
  now?: () => Date;
}

/** The pipeline behind every front end: runs, stores and reports; knows nothing of Slack or terminals. */
export function createOrchestrator(deps: OrchestratorDeps): Orchestrator {
  const now = deps.now ?? (() => new Date());
  // A secret pasted into a request or note is removed before anything sees it: the LLM, search, the store, files.
  const scrub = deps.scrub ?? ((text: string) => text);

  function contextFor(run: StoredRun, fresh: boolean, signal?: AbortSignal): AgentContext {
    return {
      runId: run.runId,
      scope: run.scope,
      fresh,
      meter: meterInto(run.stats),
      signal,
      llm: deps.llm,
      search: deps.search,
      cache: deps.cache,
      profile: deps.profile,
      logger: deps.logger,
    };
  }

  function reporter(run: StoredRun, onProgress?: (event: ProgressEvent) => void) {
    return (stage: Stage, done: number, total: number, message: string) => {
      run.stage = stage;
      deps.logger.debug({ runId: run.runId, scope: run.scope, stage, done, total }, message);
      try {
        onProgress?.({ runId: run.runId, stage, done, total, message });
      } catch (error) {
        deps.logger.warn({ runId: run.runId, err: describeError(error) }, 'progress listener failed');
      }
    };
  }

  async function finish(run: StoredRun, startedAt: number): Promise<LeadsDocument> {
    run.stats.durationMs = Math.round(performance.now() - startedAt);
    const doc: LeadsDocument = {
      runId: run.runId,
      request: run.request,
      intent: run.intent!,
      leads: run.leads ?? [],
      stats: { ...run.stats },
    };
    await deps.runs.save(run);
    await writeResultsFile(deps.dataDir, run.scope, doc, now(), scrub);
    return doc;
  }

  async function fail(run: StoredRun, error: unknown, startedAt: number, emit: ReturnType<typeof reporter>): Promise<never> {
    const message = describeError(error);
    run.status = 'failed';
    run.error = message;
    run.stats.durationMs = Math.round(performance.now() - startedAt);
    emit('failed', 0, 0, message);
    await deps.runs.save(run).catch((saveError: unknown) =>
      deps.logger.error({ runId: run.runId, err: describeError(saveError) }, 'could not store the failed run'),
    );
    deps.logger.warn({ runId: run.runId, err: message }, 'run failed');
    throw new RunFailedError(run.runId, message, { cause: error });
  }

  return {
    async run(original: RunRequest): Promise<LeadsDocument> {
      const request = { ...original, text: scrub(original.text) };
      const startedAt = performance.now();
      const created = now().toISOString();
      const run: StoredRun = {
        runId: request.runId ?? newRunId(),
        scope: request.scope,
        origin: request.origin ?? { kind: 'cli' },
        request: request.text,
        status: 'running',
        stage: 'intent',
        createdAt: created,
        updatedAt: created,
        stats: emptyStats(),
        top: request.top ?? DEFAULT_TOP,
        owner: THIS_PROCESS,
      };
      const emit = reporter(run, request.onProgress);
      // A run that fails stops its other work at once: queued and in-flight LLM calls and searches are cancelled.
      const stop = new AbortController();
      const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
      // Every search and LLM call of the run listens on it (about sixty at once), which is by design.
      setMaxListeners(200, signal);
      const ctx = contextFor(run, request.fresh ?? false, signal);
      try {
        await deps.runs.save(run);
        deps.logger.info({ runId: run.runId, scope: run.scope, request: run.request }, 'run started');
        emit('intent', 0, 1, 'Reading the request');
        const intent = await classifyIntent(request.text, ctx);
        run.intent = intent;
        run.top = request.top ?? intent.constraints.count ?? DEFAULT_TOP;
        checkAborted(request.signal);

        const queries = await planQueries(intent, request.text, ctx);
        emit('research', 0, queries.length, `Searching the web (${queries.length} queries)`);
        await deps.runs.save(run);
        const found = await research(queries, intent, request.text, ctx, (done, total) =>
          emit('research', done, total, `Searched ${done} of ${total} queries`),
        );
        if (found.candidates.length === 0) {
          throw new Error(
            found.results.length === 0
              ? 'Web search returned no results for any query, so there is nothing to build leads from. Try a broader request, or check SEARCH_PROVIDERS.'
              : 'The search results named no companies that fit the request. Try a broader request.',
          );
        }
        run.candidates = found.candidates;
        emit('research', queries.length, queries.length, `Found ${found.candidates.length} candidate companies`);
        run.stage = 'enrichment';
        await deps.runs.save(run);
        checkAborted(request.signal);

        emit('enrichment', 0, found.candidates.length, 'Looking up each company');
        const enriched = mergeEnrichedByDomain(
          await enrichCandidates(found.candidates, ctx, (done, total) =>
            emit('enrichment', done, total, `Enriched ${done} of ${total} companies`),
          ),
        );
        run.enrichment = enriched;
        run.stage = 'scoring';
        await deps.runs.save(run);
        checkAborted(request.signal);

        emit('scoring', 0, enriched.length, 'Scoring fit');
        run.scores = await scoreCompanies(enriched, intent, ctx, {
          top: run.top,
          evidence: evidenceOf(run),
          onProgress: (done, total) => emit('scoring', done, total, `Scored ${done} of ${total} companies`),
        });
        run.leads = buildLeads(enriched, run.scores, run.top);
        run.status = 'succeeded';
        run.stage = 'done';
        const doc = await finish(run, startedAt);
        emit('done', run.leads.length, run.leads.length, `Ranked ${run.leads.length} leads`);
        return doc;
      } catch (error) {
        stop.abort(new RunAbortedError('Stopped because the run failed.'));
        return fail(run, error, startedAt, emit);
      }
    },

    async rescore(request: RescoreRequest): Promise<RescoreResult> {
      const startedAt = performance.now();
      const run = await deps.runs.get(request.scope, request.runId);
      if (!run) throw new RunFailedError(request.runId, `There is no run ${request.runId} in this workspace to re-score.`);
      if (run.status === 'running') throw new RunFailedError(run.runId, 'That run is still in progress; re-score it once it has finished.');
      if (!run.intent || !run.enrichment || run.enrichment.length === 0) {
        throw new RunFailedError(run.runId, 'That run stopped before its companies were looked up, so there is nothing to re-score. Run the request again.');
      }
      const previous = run.leads ?? [];
      run.stats = emptyStats();
      const emit = reporter(run, request.onProgress);
      const ctx = contextFor(run, false, request.signal);
      const note = request.note ? scrub(request.note).trim() || undefined : undefined;
      try {
        emit('scoring', 0, run.enrichment.length, note ? `Re-scoring with your note` : 'Re-scoring');
        run.scores = await scoreCompanies(run.enrichment, run.intent, ctx, {
          top: run.top,
          note,
          evidence: evidenceOf(run),
          onProgress: (done, total) => emit('scoring', done, total, `Scored ${done} of ${total} companies`),
        });
        run.leads = buildLeads(run.enrichment, run.scores, run.top);
        run.notes = [...(run.notes ?? []), ...(note ? [note] : [])];
        run.status = 'succeeded';
        run.stage = 'done';
        run.error = undefined;
        const doc = await finish(run, startedAt);
        emit('done', run.leads.length, run.leads.length, `Re-ranked ${run.leads.length} leads`);
        return { ...doc, changes: compareRanks(previous, run.leads) };
      } catch (error) {
        // A failed re-score leaves the stored run and its earlier leads as they were.
        const message = describeError(error);
        emit('failed', 0, 0, message);
        throw new RunFailedError(run.runId, message, { cause: error });
      }
    },

    getRun: (scope, runId) => deps.runs.get(scope, runId),

    async interruptUnfinished(): Promise<StoredRun[]> {
      const interrupted: StoredRun[] = [];
      for (const run of await deps.runs.listUnfinished()) {
        // A CLI run (or another app instance) on this machine that is still alive is not cut off.
        if (run.owner && isAliveElsewhere(run.owner)) continue;
        const marked: StoredRun = { ...run, status: 'interrupted', error: 'Interrupted by a restart before it finished.' };
        try {
          await deps.runs.save(marked);
          interrupted.push(marked);
        } catch (error) {
          deps.logger.error({ runId: run.runId, err: describeError(error) }, 'could not mark a cut-off run interrupted');
        }
      }
      if (interrupted.length > 0) deps.logger.warn({ runs: interrupted.map((r) => r.runId) }, 'marked runs cut off by a restart as interrupted');
      return interrupted;
    },
  };
}

const THIS_PROCESS = { host: hostname(), pid: process.pid };

/** True when the owner is another live process on this host; runs of other hosts count as cut off (one host today). */
function isAliveElsewhere(owner: { host: string; pid: number }): boolean {
  if (owner.host !== THIS_PROCESS.host || owner.pid === THIS_PROCESS.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function evidenceOf(run: StoredRun): Map<string, string[]> {
  return new Map((run.candidates ?? []).map((c) => [c.key, c.evidence]));
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunAbortedError('The run was cancelled.');
}
