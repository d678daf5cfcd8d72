import type Keyv from 'keyv';
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import type { DocumentLock } from './document-lock.js';

/** Keys of small per-workspace documents; workspace ids are made safe the same way as the cache's. */
export function scopedKey(scope: string, ...parts: string[]): string {
  return [scope.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'default', ...parts].join(':');
}

/**
 * One JSON document under one key (a workspace's feedback, its schedules), read through a zod schema and changed
 * by read-modify-write, one write at a time in this process: many people marking leads at once lose nothing.
 * Keyv has no compare-and-set, so when several processes share Redis (app instances and workers) each update also
 * holds the document's lock in Redis (`lock`, src/store/document-lock.ts): one process at a time, everywhere.
 */
/** What the stores built on SharedDocument take besides their Keyv. */
export interface SharedDocumentOptions {
  logger?: Pick<Logger, 'warn'>;
  /** Set when other processes write the same documents (REDIS_URL mode). */
  lock?: DocumentLock;
}

export class SharedDocument<T> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly keyv: Keyv,
    private readonly schema: z.ZodType<T>,
    private readonly empty: () => T,
    private readonly options: SharedDocumentOptions & { ttlMs?: number } = {},
  ) {}

  /** The document, or the empty one when there is none or it is not what the schema says (it is then replaced on the next write). */
  async read(key: string): Promise<T> {
    const raw = await this.keyv.get<unknown>(key);
    if (raw === undefined || raw === null) return this.empty();
    const parsed = this.schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    this.options.logger?.warn(
      { key, err: parsed.error.issues[0]?.message },
      'a stored document did not match its schema; starting it afresh',
    );
    return this.empty();
  }

  /** Applies `change` to the stored document after every earlier update of this process, stores and returns the result. */
  update(key: string, change: (current: T) => T): Promise<T> {
    const readModifyWrite = async () => {
      const updated = this.schema.parse(change(await this.read(key)));
      await this.keyv.set(key, updated, this.options.ttlMs);
      return updated;
    };
    const { lock } = this.options;
    const next = this.queue.then(() => (lock ? lock(key, readModifyWrite) : readModifyWrite()));
    this.queue = next.catch(() => undefined);
    return next;
  }
}
