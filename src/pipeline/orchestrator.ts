import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { AgentContext } from '../agents/agent-context.js';
import { identityOf, partitionHidden, type TeamContext } from '../domain/feedback.js';
import { compareRanks } from '../domain/leads.js';
import { documentOf } from '../domain/run-document.js';
import { newRunId } from '../domain/run-id.js';
import { emptyStats, meterInto } from '../domain/run-stats.js';
import {
  NoLeadsError,
  RunFailedError,
  type LeadsDocument,
  type Orchestrator,
  type RescoreRequest,
  type RescoreResult,
  type ResumeRequest,
  type ReuseRequest,
  type RunRequest,
  type StoredRun,
} from '../domain/types.js';
import { describeError, RunAbortedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { LlmClient } from '../llm/types.js';
import { disabledMetrics, type Metrics } from '../metrics/metrics.js';
import type { CompanyProfile } from '../domain/company-profile.js';
import type { CrmDirectory } from '../domain/crm-holdings.js';
import type { PageReader } from '../search/page-types.js';
import type { SearchClient } from '../search/types.js';
import type { WorkCache } from '../store/cache.js';
import type { RunStore } from '../store/run-store.js';
import type { Preflight } from './preflight.js';
import { writeResultsFile } from './results-file.js';
import { runEndOf, runLogger } from './run-end.js';
import { reporter, runStages } from './stage-loop.js';
import { DEFAULT_TOP, PIPELINE, RESCORE } from './stages.js';

export { DEFAULT_TOP };

export interface OrchestratorDeps {
  llm: LlmClient;
  search: SearchClient;
  /** Reads list pages and company pages in full; a no-op reader when PAGE_READER=none. */
  pages: PageReader;
  cache: WorkCache;
  runs: RunStore;
  profile: CompanyProfile;
  logger: Logger;
  dataDir: string;
  scrub?: (text: string) => string;
  now?: () => Date;
  /** Runs, stage times; defaults to none (tests that do not look at metrics). */
  metrics?: Metrics;
  /** The team's CRMs (HubSpot, Salesforce), asked before scoring which candidates they already hold. */
  crm?: readonly CrmDirectory[];
  /** Checks the model (and the CRM) before a run searches; a failure fails the run at once, naming what to fix. */
  preflight?: Preflight;
}

/** The pipeline behind every front end: runs, stores and reports; knows nothing of Slack or terminals. */
export function createOrchestrator(deps: OrchestratorDeps): Orchestrator {
  const now = deps.now ?? (() => new Date());
  // A secret pasted into a request or note is removed before anything sees it: the LLM, search, the store, files.
  const scrub = deps.scrub ?? ((text: string) => text);
  const metrics = deps.metrics ?? disabledMetrics();

  function agentContext(
    run: StoredRun,
    fresh: boolean,
    logger: Logger,
    signal?: AbortSignal,
    team: TeamContext | undefined = run.team,
  ): AgentContext {
    return {
      runId: run.runId,
      scope: run.scope,
      fresh,
      meter: meterInto(run.stats),
      signal,
      llm: deps.llm,
      search: deps.search,
      pages: deps.pages,
      cache: deps.cache,
      profile: deps.profile,
      logger,
      team,
    };
  }

  /** The finished run as the document front ends show and results_cache/ keeps. */
  async function finish(
    run: StoredRun,
    startedAt: number,
    log: Logger,
  ): Promise<{ run: StoredRun; doc: LeadsDocument }> {
    const stats = { ...run.stats, durationMs: elapsed(startedAt), warnings: run.warnings ?? [] };
    const done: StoredRun = { ...run, status: 'succeeded', stage: 'done', error: undefined, stats };
    const doc = documentOf(done);
    await deps.runs.save(done);
    // The results file is a copy for people, not the record (the run store is): failing to write it costs a warning.
    await writeResultsFile(deps.dataDir, done.scope, doc, now(), scrub).catch((error: unknown) =>
      log.warn(
        { stage: 'done', err: describeError(error) },
        'could not write the results file; the run itself succeeded',
      ),
    );
    return { run: done, doc };
  }

  /** Takes a run through every stage it has not finished yet, then stores and writes its result. */
  async function execute(
    start: StoredRun,
    request: {
      fresh?: boolean;
      top?: number;
      signal?: AbortSignal;
      onProgress?: RunRequest['onProgress'];
      resumed?: boolean;
    },
  ): Promise<LeadsDocument> {
    const startedAt = performance.now() - start.stats.durationMs;
    const log = runLogger(deps.logger, start);
    // A run that fails stops its other work at once: queued and in-flight LLM calls and searches are cancelled.
    const stop = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
    // Every search and LLM call of the run listens on it (about sixty at once), which is by design.
    setMaxListeners(200, signal);
    // The stats object is shared by every patched copy of the run, so the meter's counts land in the final one.
    const agents = agentContext(start, request.fresh ?? false, log, signal);
    let latest = start;
    const checkpoint = async (reached: StoredRun) => {
      latest = reached;
      await deps.runs.save(reached);
    };
    const progress = { checkpoint, logger: log, signal: request.signal, onProgress: request.onProgress, metrics };
    try {
      await checkpoint(start);
      log.info({ stage: start.stage, request: start.request }, request.resumed ? 'run resumed' : 'run started');
      // Without a model (or with a CRM that refuses us) the run would search, then fail: it fails here instead.
      await deps.preflight?.(signal);
      const run = await runStages(
        start,
        PIPELINE,
        { agents, text: start.request, requestedTop: request.top, crm: deps.crm },
        progress,
      );
      const finished = await finish(run, startedAt, log);
      const count = finished.doc.leads.length;
      const end = runEndOf(finished.run);
      metrics.runEnded(end);
      // One line sums the run up: outcome, counts and where the time went.
      log.info(
        {
          stage: 'done',
          outcome: end.outcome,
          intent: end.intent,
          leads: count,
          top: finished.run.top,
          stats: finished.run.stats,
        },
        'run finished',
      );
      reporter(finished.run, progress)(count, count, `Ranked ${count} leads`);
      return finished.doc;
    } catch (error) {
      stop.abort(new RunAbortedError('Stopped because the run failed.'));
      const message = describeError(error);
      // The failed run keeps the work of every stage it finished (its last checkpoint).
      const failed: StoredRun = {
        ...latest,
        status: 'failed',
        error: message,
        stage: 'failed',
        stats: { ...latest.stats, durationMs: elapsed(startedAt) },
      };
      const end = runEndOf(failed, error, request.signal);
      metrics.runEnded(end);
      const funnel = error instanceof NoLeadsError ? { funnel: error.funnel } : {};
      log.warn(
        {
          stage: 'failed',
          outcome: end.outcome,
          intent: end.intent,
          failedAt: latest.stage,
          err: message,
          ...funnel,
          stats: failed.stats,
        },
        'run failed',
      );
      reporter(failed, progress)(0, 0, message);
      await deps.runs
        .save(failed)
        .catch((saveError: unknown) =>
          log.error({ stage: 'failed', err: describeError(saveError) }, 'could not store the failed run'),
        );
      throw error instanceof NoLeadsError ? error : new RunFailedError(start.runId, message, { cause: error });
    }
  }

  return {
    run(request: RunRequest): Promise<LeadsDocument> {
      const created = now().toISOString();
      const run: StoredRun = {
        runId: request.runId ?? newRunId(),
        scope: request.scope,
        origin: request.origin ?? { kind: 'cli' },
        request: scrub(request.text),
        status: 'running',
        stage: 'intent',
        createdAt: created,
        updatedAt: created,
        stats: emptyStats(),
        top: request.top ?? DEFAULT_TOP,
        owner: THIS_PROCESS,
        ...(request.team ? { team: request.team } : {}),
      };
      return execute(run, request);
    },

    async resume(request: ResumeRequest): Promise<LeadsDocument> {
      const stored = await deps.runs.get(request.scope, request.runId);
      if (!stored)
        throw new RunFailedError(request.runId, `There is no run ${request.runId} in this workspace to resume.`);
      if (stored.status === 'succeeded') throw new RunFailedError(stored.runId, 'That run has already finished.');
      return execute(
        { ...stored, status: 'running', error: undefined, owner: THIS_PROCESS, stats: { ...stored.stats } },
        { ...request, resumed: true },
      );
    },

    async rescore(request: RescoreRequest): Promise<RescoreResult> {
      const startedAt = performance.now();
      const stored = await deps.runs.get(request.scope, request.runId);
      if (!stored)
        throw new RunFailedError(request.runId, `There is no run ${request.runId} in this workspace to re-score.`);
      if (stored.status === 'running')
        throw new RunFailedError(stored.runId, 'That run is still in progress; re-score it once it has finished.');
      if (!stored.intent || !stored.enrichment || stored.enrichment.length === 0) {
        throw new RunFailedError(
          stored.runId,
          'That run stopped before its companies were looked up, so there is nothing to re-score. Run the request again.',
        );
      }
      const note = request.note ? scrub(request.note).trim() || undefined : undefined;
      // Scoring starts over: its earlier result is dropped, and the stats count this re-score only. Feedback given
      // since the run was made counts: a re-score uses the team's current marks when the front end passes them.
      const team = request.team ?? stored.team;
      const start: StoredRun = {
        ...stored,
        scores: undefined,
        leads: undefined,
        warnings: undefined,
        hidden: undefined,
        crmHidden: undefined,
        stats: emptyStats(),
        ...(team ? { team } : {}),
      };
      const log = runLogger(deps.logger, start);
      const progress = {
        checkpoint: (run: StoredRun) => deps.runs.save(run),
        logger: log,
        signal: request.signal,
        onProgress: request.onProgress,
        metrics,
      };
      try {
        log.info({ stage: 'scoring', note: note !== undefined }, 're-score started');
        const scored = await runStages(
          start,
          RESCORE,
          { agents: agentContext(start, false, log, request.signal), text: stored.request, note, crm: deps.crm },
          progress,
        );
        const { run, doc } = await finish(
          { ...scored, notes: [...(stored.notes ?? []), ...(note ? [note] : [])] },
          startedAt,
          log,
        );
        const count = doc.leads.length;
        log.info({ stage: 'done', leads: count, stats: run.stats }, 're-score finished');
        reporter(run, progress)(count, count, `Re-ranked ${count} leads`);
        return { ...doc, changes: compareRanks(stored.leads ?? [], doc.leads) };
      } catch (error) {
        // A failed re-score leaves the stored run and its earlier leads as they were.
        const message = describeError(error);
        log.warn(
          { stage: 'failed', err: message, stats: { ...start.stats, durationMs: elapsed(startedAt) } },
          're-score failed',
        );
        reporter({ ...start, stage: 'failed' }, progress)(0, 0, message);
        throw error instanceof NoLeadsError ? error : new RunFailedError(stored.runId, message, { cause: error });
      }
    },

    async reuse(request: ReuseRequest): Promise<LeadsDocument> {
      const startedAt = performance.now();
      const source = await deps.runs.get(request.scope, request.fromRunId);
      if (!source || source.status !== 'succeeded' || !source.intent) {
        throw new RunFailedError(
          request.fromRunId,
          `There is no finished run ${request.fromRunId} in this workspace to answer from.`,
        );
      }
      // Companies hidden since the result was made are left out now, and the rest keep their order.
      const { kept, hidden } = partitionHidden(source.leads ?? [], identityOf, request.team?.hidden ?? []);
      const created = now().toISOString();
      const copy: StoredRun = {
        ...source,
        runId: request.runId ?? newRunId(),
        origin: request.origin,
        createdAt: created,
        updatedAt: created,
        leads: kept.map((lead, index) => ({ ...lead, rank: index + 1 })),
        hidden: mergeHidden(source.hidden ?? [], hidden),
        answeredFrom: { runId: source.runId, finishedAt: source.updatedAt },
        stats: { ...emptyStats(), durationMs: elapsed(startedAt) },
        owner: THIS_PROCESS,
        ...(request.team ? { team: request.team } : {}),
      };
      await deps.runs.save(copy);
      deps.logger.info({ runId: copy.runId, from: source.runId, scope: copy.scope }, 'answered from a stored result');
      return documentOf(copy);
    },

    getRun: (scope, runId) => deps.runs.get(scope, runId),

    async interruptUnfinished(stillGoing?: (run: StoredRun) => Promise<boolean>): Promise<StoredRun[]> {
      const interrupted: StoredRun[] = [];
      for (const run of await deps.runs.listUnfinished()) {
        // A CLI run (or another app instance) on this machine that is still alive is not cut off.
        if (run.owner && isAliveElsewhere(run.owner)) continue;
        if (stillGoing && (await stillGoing(run).catch(() => true))) continue;
        const marked: StoredRun = {
          ...run,
          status: 'interrupted',
          error: 'Interrupted by a restart before it finished.',
        };
        try {
          await deps.runs.save(marked);
          interrupted.push(marked);
          metrics.runEnded(runEndOf(marked));
        } catch (error) {
          deps.logger.error(
            { runId: run.runId, err: describeError(error) },
            'could not mark a cut-off run interrupted',
          );
        }
      }
      if (interrupted.length > 0)
        deps.logger.warn({ runs: interrupted.map((r) => r.runId) }, 'marked runs cut off by a restart as interrupted');
      return interrupted;
    },
  };
}

const THIS_PROCESS = { host: hostname(), pid: process.pid };

function mergeHidden<T extends { entryId: string }>(before: readonly T[], now: readonly T[]): T[] {
  return [...before, ...now.filter((h) => !before.some((b) => b.entryId === h.entryId))];
}

function elapsed(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}

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
