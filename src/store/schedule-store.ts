import type Keyv from 'keyv';
import { z } from 'zod';
import { digestMemorySchema, emptyDigestMemory, type DigestMemory } from '../domain/digest.js';
import {
  latestResultSchema,
  requestKey,
  scheduleSchema,
  type LatestResult,
  type Schedule,
} from '../domain/schedule.js';
import { DAY_MS, fingerprint } from './cache.js';
import { scopedKey, SharedDocument, type SharedDocumentOptions } from './shared-document.js';

/** A workspace may keep this many schedules; a typo loop cannot fill the store. */
export const MAX_SCHEDULES_PER_WORKSPACE = 25;
const LATEST_TTL = 14 * DAY_MS;
const DIGEST_MEMORY_TTL = 180 * DAY_MS;
const INDEX_KEY = 'schedules:index';

const schedulesSchema = z.object({ schedules: z.array(scheduleSchema) });
const indexSchema = z.object({ scopes: z.array(z.string()) });

/**
 * Scheduled digests per workspace (and an index of workspaces that have any, so start-up finds them all), the
 * latest scheduled result of each request, and each channel's memory of what its digests have shown.
 */
export class ScheduleStore {
  private readonly schedules: SharedDocument<z.infer<typeof schedulesSchema>>;
  private readonly index: SharedDocument<z.infer<typeof indexSchema>>;
  private readonly memory: SharedDocument<DigestMemory>;

  constructor(
    private readonly keyv: Keyv,
    options: SharedDocumentOptions = {},
  ) {
    this.schedules = new SharedDocument(keyv, schedulesSchema, () => ({ schedules: [] }), options);
    this.index = new SharedDocument(keyv, indexSchema, () => ({ scopes: [] }), options);
    this.memory = new SharedDocument(keyv, digestMemorySchema, emptyDigestMemory, {
      ...options,
      ttlMs: DIGEST_MEMORY_TTL,
    });
  }

  /** Stores a new schedule; refuses (returns false) when the workspace already has the maximum. */
  async add(schedule: Schedule): Promise<boolean> {
    let added = false;
    await this.schedules.update(keyOf(schedule.scope), (doc) => {
      if (doc.schedules.some((s) => s.id === schedule.id)) {
        added = true;
        return doc;
      }
      added = doc.schedules.length < MAX_SCHEDULES_PER_WORKSPACE;
      return added ? { schedules: [...doc.schedules, schedule] } : doc;
    });
    if (added)
      await this.index.update(INDEX_KEY, (doc) =>
        doc.scopes.includes(schedule.scope) ? doc : { scopes: [...doc.scopes, schedule.scope] },
      );
    return added;
  }

  /** A workspace's schedules, oldest first. */
  async list(scope: string): Promise<Schedule[]> {
    return (await this.schedules.read(keyOf(scope))).schedules;
  }

  /** Every workspace's schedules (start-up registers them with the scheduler). */
  async listAll(): Promise<Schedule[]> {
    const { scopes } = await this.index.read(INDEX_KEY);
    return (await Promise.all(scopes.map((scope) => this.list(scope)))).flat();
  }

  /** One schedule of this workspace; another workspace's id finds nothing. */
  async get(scope: string, id: string): Promise<Schedule | undefined> {
    return (await this.list(scope)).find((s) => s.id === id);
  }

  /** Removes a schedule; returns it, or undefined if it was not there (already cancelled). */
  async remove(scope: string, id: string): Promise<Schedule | undefined> {
    const found = await this.get(scope, id);
    if (!found) return undefined;
    await this.schedules.update(keyOf(scope), (doc) => ({ schedules: doc.schedules.filter((s) => s.id !== id) }));
    return found;
  }

  /** Records how a schedule's latest run went (shown in /leads schedules and App Home). */
  async recordRun(scope: string, id: string, lastRun: NonNullable<Schedule['lastRun']>): Promise<void> {
    await this.schedules.update(keyOf(scope), (doc) => ({
      schedules: doc.schedules.map((s) => (s.id === id ? { ...s, lastRun } : s)),
    }));
  }

  /** Remembers a scheduled run as the answer to its request in this workspace. */
  async setLatest(scope: string, latest: LatestResult): Promise<void> {
    await this.keyv.set(latestKey(scope, latest.request), latest, LATEST_TTL);
  }

  /** The latest scheduled result for this request in this workspace, if any. */
  async getLatest(scope: string, request: string): Promise<LatestResult | undefined> {
    const parsed = latestResultSchema.safeParse(await this.keyv.get<unknown>(latestKey(scope, request)));
    return parsed.success ? parsed.data : undefined;
  }

  /** What this channel's digests have shown. */
  readDigestMemory(scope: string, channelId: string): Promise<DigestMemory> {
    return this.memory.read(memoryKey(scope, channelId));
  }

  /** Replaces this channel's digest memory. */
  async writeDigestMemory(scope: string, channelId: string, next: DigestMemory): Promise<void> {
    await this.memory.update(memoryKey(scope, channelId), () => next);
  }
}

function keyOf(scope: string): string {
  return scopedKey(scope, 'schedules');
}

function latestKey(scope: string, request: string): string {
  return scopedKey(scope, 'latest', fingerprint(requestKey(request)));
}

function memoryKey(scope: string, channelId: string): string {
  return scopedKey(scope, 'digest', channelId.replace(/[^A-Za-z0-9]/g, '').slice(0, 30));
}
