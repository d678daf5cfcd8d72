import type Keyv from 'keyv';
import { DAY_MS } from './cache.js';
import type { StoredRun } from '../domain/types.js';

const RUN_TTL = 30 * DAY_MS;
const ACTIVE_INDEX = 'runs:active';

interface RunRef {
  scope: string;
  runId: string;
}

/**
 * Runs persisted as they progress, keyed by workspace, plus an index of unfinished runs so that
 * a restarted app can find work that was cut off.
 */
export class RunStore {
  private indexWrites: Promise<unknown> = Promise.resolve();

  constructor(private readonly keyv: Keyv) {}

  async save(run: StoredRun): Promise<void> {
    const updated = { ...run, updatedAt: new Date().toISOString() };
    await this.keyv.set(runKey(run.scope, run.runId), updated, RUN_TTL);
    await this.updateIndex((refs) => {
      const others = refs.filter((ref) => !(ref.scope === run.scope && ref.runId === run.runId));
      return run.status === 'running' ? [...others, { scope: run.scope, runId: run.runId }] : others;
    });
  }

  /** A run of this workspace, or undefined: another workspace's run id finds nothing. */
  async get(scope: string, runId: string): Promise<StoredRun | undefined> {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(runId)) return undefined;
    return (await this.keyv.get<StoredRun>(runKey(scope, runId))) ?? undefined;
  }

  /** Runs still marked running: after a restart these are the ones that were cut off. */
  async listUnfinished(): Promise<StoredRun[]> {
    const refs = (await this.keyv.get<RunRef[]>(ACTIVE_INDEX)) ?? [];
    const runs = await Promise.all(refs.map((ref) => this.get(ref.scope, ref.runId)));
    return runs.filter((run): run is StoredRun => run !== undefined && run.status === 'running');
  }

  private updateIndex(change: (refs: RunRef[]) => RunRef[]): Promise<void> {
    const next = this.indexWrites.then(async () => {
      const refs = (await this.keyv.get<RunRef[]>(ACTIVE_INDEX)) ?? [];
      await this.keyv.set(ACTIVE_INDEX, change(refs));
    });
    this.indexWrites = next.catch(() => undefined);
    return next;
  }
}

function runKey(scope: string, runId: string): string {
  return `${scope.replace(/[^A-Za-z0-9_-]/g, '_')}:run:${runId}`;
}
