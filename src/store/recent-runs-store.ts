import type Keyv from 'keyv';
import { z } from 'zod';
import { DAY_MS } from './cache.js';
import { scopedKey, SharedDocument, type SharedDocumentOptions } from './shared-document.js';

/** App Home lists this many of a workspace's latest runs. */
export const MAX_RECENT_RUNS = 20;

/** A run as App Home lists it: what was asked, where its thread is, how it ended. */
export const recentRunSchema = z.object({
  runId: z.string(),
  request: z.string(),
  channelId: z.string(),
  threadTs: z.string(),
  permalink: z.string().optional(),
  userId: z.string().optional(),
  kind: z.enum(['request', 'digest', 'instant']),
  status: z.enum(['running', 'succeeded', 'failed']),
  leads: z.number().int().min(0).optional(),
  at: z.string(),
});
export type RecentRun = z.infer<typeof recentRunSchema>;

const documentSchema = z.object({ runs: z.array(recentRunSchema) });

/** The latest runs of each workspace, newest first, for App Home. */
export class RecentRunsStore {
  private readonly docs: SharedDocument<z.infer<typeof documentSchema>>;

  constructor(keyv: Keyv, options: SharedDocumentOptions = {}) {
    this.docs = new SharedDocument(keyv, documentSchema, () => ({ runs: [] }), { ...options, ttlMs: 30 * DAY_MS });
  }

  /** Adds a run, or updates it (status, lead count, permalink) when it is already listed. */
  async record(scope: string, run: RecentRun): Promise<void> {
    await this.docs.update(scopedKey(scope, 'recent-runs'), (doc) => {
      const existing = doc.runs.find((r) => r.runId === run.runId);
      const merged = existing ? { ...existing, ...definedOnly(run), at: existing.at } : run;
      return {
        runs: [merged, ...doc.runs.filter((r) => r.runId !== run.runId)]
          .sort((a, b) => b.at.localeCompare(a.at))
          .slice(0, MAX_RECENT_RUNS),
      };
    });
  }

  /** A workspace's latest runs, newest first. */
  async list(scope: string): Promise<RecentRun[]> {
    return (await this.docs.read(scopedKey(scope, 'recent-runs'))).runs;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
