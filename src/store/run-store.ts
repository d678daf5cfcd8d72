import type Keyv from 'keyv';
import { z } from 'zod';
import { DAY_MS, HOUR_MS, type CacheLogger } from './cache.js';
import { storedRunSchema, type StoredRun } from '../domain/types.js';
import { disabledMetrics, type Metrics } from '../metrics/metrics.js';

const RUN_TTL = 30 * DAY_MS;
const ACTIVE_INDEX = 'runs:active';
/** No run lasts this long: an index entry older than this is dropped, and the whole index expires if untouched. */
export const ACTIVE_INDEX_TTL = 12 * HOUR_MS;

const runRefSchema = z.object({ scope: z.string(), runId: z.string(), since: z.number().optional() });
const activeIndexSchema = z.array(runRefSchema);
type RunRef = z.infer<typeof runRefSchema>;

/**
 * Runs persisted as they progress, keyed by workspace, plus an index of unfinished runs so that a restarted app
 * can find work that was cut off. Every read is validated: a corrupt run is "not found", and a corrupt index is
 * rebuilt from the runs themselves, so one bad entry never breaks every run.
 */
export class RunStore {
  private indexWrites: Promise<unknown> = Promise.resolve();
  private readonly reported = new Set<string>();

  constructor(
    private readonly keyv: Keyv,
    private readonly logger?: CacheLogger,
    private readonly metrics: Pick<Metrics, 'cacheLookup'> = disabledMetrics(),
  ) {}

  async save(run: StoredRun): Promise<void> {
    const updated = { ...run, updatedAt: new Date().toISOString() };
    await this.keyv.set(runKey(run.scope, run.runId), updated, RUN_TTL);
    await this.updateIndex((refs) => {
      const others = refs.filter((ref) => !(ref.scope === run.scope && ref.runId === run.runId));
      return run.status === 'running' ? [...others, { scope: run.scope, runId: run.runId, since: Date.now() }] : others;
    });
  }

  /** A run of this workspace, or undefined: another workspace's run id, or an unreadable record, finds nothing. */
  async get(scope: string, runId: string): Promise<StoredRun | undefined> {
    const run = await this.read(scope, runId);
    // A button, re-score or resume looking for its run: a miss is a run expired, unreadable or of another workspace.
    this.metrics.cacheLookup('run', run !== undefined);
    return run;
  }

  private async read(scope: string, runId: string): Promise<StoredRun | undefined> {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(runId)) return undefined;
    const key = runKey(scope, runId);
    let raw: unknown;
    try {
      raw = await this.keyv.get(key);
    } catch (error) {
      this.report(key, `unreadable (${describe(error)})`);
      return undefined;
    }
    if (raw === undefined || raw === null) return undefined;
    const parsed = storedRunSchema.safeParse(raw);
    if (!parsed.success) this.report(key, 'does not fit the run schema');
    return parsed.success ? parsed.data : undefined;
  }

  /** Runs still marked running: after a restart these are the ones that were cut off. */
  async listUnfinished(): Promise<StoredRun[]> {
    const refs = await this.readIndex();
    const runs = await Promise.all(refs.map((ref) => this.read(ref.scope, ref.runId)));
    return runs.filter((run): run is StoredRun => run !== undefined && run.status === 'running');
  }

  /** The index built afresh from the stored runs (used when the stored index is unreadable). */
  async rebuildIndex(): Promise<RunRef[]> {
    const refs: RunRef[] = [];
    for await (const [key, value] of this.entries()) {
      if (!key.includes(':run:')) continue;
      const run = storedRunSchema.safeParse(value);
      if (run.success && run.data.status === 'running')
        refs.push({
          scope: run.data.scope,
          runId: run.data.runId,
          since: Date.parse(run.data.updatedAt) || Date.now(),
        });
    }
    return refs;
  }

  private async readIndex(): Promise<RunRef[]> {
    let raw: unknown;
    try {
      raw = await this.keyv.get(ACTIVE_INDEX);
    } catch (error) {
      this.report(ACTIVE_INDEX, `unreadable (${describe(error)}); rebuilt from the stored runs`);
      return this.rebuildIndex();
    }
    if (raw === undefined || raw === null) return [];
    const parsed = activeIndexSchema.safeParse(raw);
    if (!parsed.success) {
      this.report(ACTIVE_INDEX, 'does not fit its schema; rebuilt from the stored runs');
      return this.rebuildIndex();
    }
    const oldest = Date.now() - ACTIVE_INDEX_TTL;
    return parsed.data.filter((ref) => (ref.since ?? Date.now()) >= oldest);
  }

  private updateIndex(change: (refs: RunRef[]) => RunRef[]): Promise<void> {
    const next = this.indexWrites.then(async () => {
      const refs = await this.readIndex();
      await this.keyv.set(ACTIVE_INDEX, change(refs), ACTIVE_INDEX_TTL);
    });
    this.indexWrites = next.catch(() => undefined);
    return next;
  }

  /** Every stored key and value, read from the store itself so one corrupt entry is skipped, not fatal. */
  private async *entries(): AsyncGenerator<[string, unknown]> {
    const store = this.keyv.store as
      { iterator?: (namespace?: string) => AsyncIterable<[string, unknown]> } | Map<string, unknown>;
    const source: AsyncIterable<[string, unknown]> | Iterable<[string, unknown]> | undefined =
      store instanceof Map
        ? store.entries()
        : typeof store.iterator === 'function'
          ? store.iterator(this.keyv.namespace)
          : undefined;
    if (!source) return;
    for await (const [key, raw] of source) {
      let data: unknown = raw;
      if (typeof raw === 'string') {
        try {
          data = JSON.parse(raw);
        } catch {
          continue;
        }
      }
      const entry = data as { value?: unknown; expires?: unknown } | null;
      if (!entry || typeof entry !== 'object') continue;
      if (typeof entry.expires === 'number' && entry.expires < Date.now()) continue;
      yield [key, 'value' in entry ? entry.value : entry];
    }
  }

  private report(key: string, problem: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.logger?.warn({ key, problem }, 'ignored an unusable run store entry');
  }
}

function runKey(scope: string, runId: string): string {
  return `${scope.replace(/[^A-Za-z0-9_-]/g, '_')}:run:${runId}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
