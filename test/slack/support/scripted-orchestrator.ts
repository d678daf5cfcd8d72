// A deterministic stand-in for the pipeline behind the Orchestrator interface: scripted progress, runs a test can
// hold in progress, and stored runs per workspace. Swap for test/support/pipeline-harness.ts where the real one fits.
import { identityOf, partitionHidden } from '../../../src/domain/feedback.js';
import { documentOf } from '../../../src/domain/run-document.js';
import {
  RunFailedError,
  type Lead,
  type Orchestrator,
  type RankChange,
  type RescoreRequest,
  type RescoreResult,
  type ReuseRequest,
  type RunRequest,
  type Stage,
  type StoredRun,
} from '../../../src/domain/types.js';

export interface ScriptedOptions {
  leads?: Lead[];
  /** Pause between progress events. */
  stepDelayMs?: number;
  /** The run fails with this message (as RunFailedError, like the real orchestrator). */
  failWith?: string;
}

export interface ScriptedOrchestrator extends Orchestrator {
  runs: RunRequest[];
  rescores: RescoreRequest[];
  reuses: ReuseRequest[];
  stored: Map<string, StoredRun>;
  /**
   * Holds every run that reaches its end from now on, after its progress, until the returned function is called:
   * the one way a test keeps "a run in progress".
   */
  hold(): () => void;
}

/** Ten (or n) plausible leads. */
export function sampleLeads(count = 10): Lead[] {
  return Array.from({ length: count }, (_, i) => ({
    rank: i + 1,
    name: `Harbor Motor Group ${i + 1}`,
    // One registrable domain per company, as real dealer groups have.
    website: `https://www.harbor${i + 1}-motors.example/`,
    headquarters: 'Dallas, Texas',
    size: `${20 - i} rooftops`,
    industry: 'Franchised dealer group',
    fitScore: 95 - i * 3,
    rationale: `Acquired ${i + 2} stores this year and is replacing its legacy DMS.`,
    sources: [`https://news.example.com/harbor-${i + 1}`, `https://harbor${i + 1}.example.com/about`],
  }));
}

export function createScriptedOrchestrator(options: ScriptedOptions = {}): ScriptedOrchestrator {
  const stored = new Map<string, StoredRun>();
  const runs: RunRequest[] = [];
  const rescores: RescoreRequest[] = [];
  const reuses: ReuseRequest[] = [];
  let gate: Promise<void> = Promise.resolve();
  const key = (scope: string, runId: string) => `${scope}:${runId}`;
  const pause = () => new Promise((r) => setTimeout(r, options.stepDelayMs ?? 0));

  async function emitAll(request: { runId: string; onProgress?: RunRequest['onProgress'] }, steps: [Stage, number][]) {
    for (const [stage, total] of steps) {
      for (let done = 0; done <= total; done += Math.max(1, Math.floor(total / 3))) {
        request.onProgress?.({ runId: request.runId, stage, done, total, message: `${stage} ${done} of ${total}` });
        await pause();
      }
    }
  }

  return {
    runs,
    rescores,
    reuses,
    stored,
    hold() {
      let open: () => void = () => undefined;
      gate = new Promise<void>((resolve) => (open = resolve));
      return () => open();
    },
    async run(request) {
      runs.push(request);
      const runId = request.runId ?? `run_scripted_${runs.length}`;
      // Like the real pipeline, companies the team's feedback hides are left out and counted.
      const { kept, hidden } = partitionHidden(options.leads ?? sampleLeads(), identityOf, request.team?.hidden ?? []);
      const leads = kept.map((lead, i) => ({ ...lead, rank: i + 1 }));
      const at = new Date().toISOString();
      const run: StoredRun = {
        runId,
        scope: request.scope,
        origin: request.origin ?? { kind: 'cli' },
        request: request.text,
        status: 'running',
        stage: 'intent',
        createdAt: at,
        updatedAt: at,
        stats: {
          llmCalls: 12,
          promptTokens: 9000,
          outputTokens: 2000,
          searches: 8,
          cacheHits: 0,
          durationMs: 0,
          stageMs: {},
          warnings: [],
        },
        top: 10,
        intent: { intent: 'customer', confidence: 0.95, constraints: {} },
      };
      stored.set(key(request.scope, runId), run);
      await emitAll({ runId, onProgress: request.onProgress }, [
        ['intent', 1],
        ['research', 8],
        ['enrichment', 12],
        ['scoring', 12],
      ]);
      await gate;
      if (options.failWith) {
        run.status = 'failed';
        run.error = options.failWith;
        request.onProgress?.({ runId, stage: 'failed', done: 0, total: 0, message: options.failWith });
        throw new RunFailedError(runId, options.failWith);
      }
      Object.assign(run, {
        status: 'succeeded',
        stage: 'done',
        leads,
        enrichment: [],
        hidden,
        ...(request.team ? { team: request.team } : {}),
      });
      run.stats.durationMs = 73_000;
      request.onProgress?.({
        runId,
        stage: 'done',
        done: leads.length,
        total: leads.length,
        message: `Ranked ${leads.length} leads`,
      });
      return documentOf(run);
    },
    async rescore(request): Promise<RescoreResult> {
      rescores.push(request);
      const run = stored.get(key(request.scope, request.runId));
      if (!run)
        throw new RunFailedError(request.runId, `There is no run ${request.runId} in this workspace to re-score.`);
      const previous = run.leads ?? [];
      const reordered = [...previous].reverse().slice(0, Math.max(0, previous.length - 1));
      const fresh: Lead = {
        ...sampleLeads(1)[0]!,
        name: 'Fresh Start Auto Group',
        website: 'https://freshstart.example.com',
      };
      const leads = [...reordered, fresh].map((lead, i) => ({ ...lead, rank: i + 1, fitScore: 99 - i * 2 }));
      await emitAll({ runId: run.runId, onProgress: request.onProgress }, [['scoring', previous.length]]);
      run.leads = leads;
      run.notes = [...(run.notes ?? []), ...(request.note ? [request.note] : [])];
      const changes: RankChange[] = leads.map((lead) => {
        const from = previous.find((p) => p.name === lead.name)?.rank;
        if (from === undefined) return { name: lead.name, change: 'new', to: lead.rank };
        return {
          name: lead.name,
          change: from > lead.rank ? 'up' : from < lead.rank ? 'down' : 'same',
          from,
          to: lead.rank,
        };
      });
      return { ...documentOf(run), changes };
    },
    async reuse(request) {
      reuses.push(request);
      const source = stored.get(key(request.scope, request.fromRunId));
      if (!source || source.status !== 'succeeded')
        throw new RunFailedError(
          request.fromRunId,
          `There is no finished run ${request.fromRunId} in this workspace to answer from.`,
        );
      const { kept, hidden } = partitionHidden(source.leads ?? [], identityOf, request.team?.hidden ?? []);
      const at = new Date().toISOString();
      const copy: StoredRun = {
        ...source,
        runId: request.runId ?? `run_reused_${reuses.length}`,
        origin: request.origin,
        createdAt: at,
        updatedAt: at,
        leads: kept.map((lead, i) => ({ ...lead, rank: i + 1 })),
        hidden: [...(source.hidden ?? []), ...hidden],
        answeredFrom: { runId: source.runId, finishedAt: source.updatedAt },
        stats: {
          llmCalls: 0,
          promptTokens: 0,
          outputTokens: 0,
          searches: 0,
          cacheHits: 0,
          durationMs: 3,
          stageMs: {},
          warnings: [],
        },
      };
      stored.set(key(request.scope, copy.runId), copy);
      return documentOf(copy);
    },
    async resume(request) {
      // No Slack surface resumes runs yet; a call here is a test that reached an unscripted path.
      throw new RunFailedError(request.runId, 'the scripted orchestrator does not resume runs');
    },
    async getRun(scope, runId) {
      return stored.get(key(scope, runId));
    },
    async interruptUnfinished() {
      const cutOff = [...stored.values()].filter((run) => run.status === 'running');
      for (const run of cutOff) run.status = 'interrupted';
      return cutOff;
    },
  };
}
