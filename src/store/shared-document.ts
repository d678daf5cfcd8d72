import type Keyv from 'keyv';
import type { z } from 'zod';
import type { Logger } from '../logger.js';

/** Keys of small per-workspace documents; workspace ids are made safe the same way as the cache's. */
export function scopedKey(scope: string, ...parts: string[]): string {
  return [scope.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'default', ...parts].join(':');
}

/**
 * One JSON document under one key (a workspace's feedback, its schedules), read through a zod schema and changed
 * by read-modify-write. Writes are serialised in this process; across instances sharing Redis a write is read
 * back, and if another instance wrote in between, the change is applied again on top of theirs. Changes must
 * therefore be idempotent (add-by-id, remove-by-id), which every caller's are.
 */
export class SharedDocument<T> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly keyv: Keyv,
    private readonly schema: z.ZodType<T>,
    private readonly empty: () => T,
    private readonly options: { ttlMs?: number; logger?: Pick<Logger, 'warn'> } = {},
  ) {}

  /** The document, or the empty one when there is none or it is not what the schema says (it is then replaced on the next write). */
  async read(key: string): Promise<T> {
    const raw = await this.keyv.get<unknown>(key);
    if (raw === undefined || raw === null) return this.empty();
    const parsed = this.schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    this.options.logger?.warn({ key, err: parsed.error.issues[0]?.message }, 'a stored document did not match its schema; starting it afresh');
    return this.empty();
  }

  /** Applies `change` and stores the result; returns what was stored. */
  update(key: string, change: (current: T) => T): Promise<T> {
    const next = this.queue.then(() => this.applyVerified(key, change));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async applyVerified(key: string, change: (current: T) => T): Promise<T> {
    // Parsed before writing, so what is written and what is read back compare field for field.
    let written = this.schema.parse(change(await this.read(key)));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await this.keyv.set(key, written, this.options.ttlMs);
      const reread = await this.read(key);
      if (JSON.stringify(reread) === JSON.stringify(written)) return written;
      // Another instance wrote between our read and our write: our change goes on top of theirs.
      written = this.schema.parse(change(reread));
    }
    return written;
  }
}
