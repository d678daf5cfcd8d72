import { createHash } from 'node:crypto';
import type Keyv from 'keyv';
import type { z } from 'zod';
import { SingleFlight } from '../domain/single-flight.js';
import { disabledMetrics, type Metrics } from '../metrics/metrics.js';

/** Where the cache reports an entry it could not use. */
export interface CacheLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export const MINUTE_MS = 60 * 1000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/**
 * How long each kind of cached work stays valid, by what makes it stale. Search results are the web, which moves
 * daily. A model answer is a function of its prompt (the prompt carries the web text), so a changed web asks a new
 * question anyway; a company's looked-up facts change over months. Both outlive a weekly digest's period, so a
 * digest on an unchanged web re-searches and reuses everything else (`--fresh` and Refresh skip every cache).
 */
export const CACHE_TTL = {
  search: DAY_MS,
  /** A page read in full is web text like a search result: it moves as fast. */
  page: DAY_MS,
  llm: 30 * DAY_MS,
  enrichment: 14 * DAY_MS,
  // What the team's CRM holds changes as people work it: a run trusts an answer for a few minutes only.
  crm: 10 * MINUTE_MS,
} as const;

export type CacheKind = keyof typeof CACHE_TTL;

/** Stable short key for any JSON-able value. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

/**
 * A scoped, typed cache with single-flight: identical work asked for at the same time (two people
 * typing `/leads find customers` together) is done once and shared.
 */
export class WorkCache {
  private readonly flights = new SingleFlight();
  private readonly reported = new Set<string>();

  constructor(
    private readonly keyv: Keyv,
    private readonly logger?: CacheLogger,
    private readonly metrics: Pick<Metrics, 'cacheLookup'> = disabledMetrics(),
  ) {}

  key(scope: string, kind: CacheKind, ...parts: unknown[]): string {
    return `${safeScope(scope)}:${kind}:${fingerprint(parts)}`;
  }

  /** The cached value if it is readable and fits `schema`, else a miss; counted as a hit or miss of the key's kind. */
  async get<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const value = await this.read(key, schema);
    const kind = kindOf(key);
    if (kind) this.metrics.cacheLookup(kind, value !== undefined);
    return value;
  }

  /**
   * The cached value if it is readable and fits `schema`; otherwise a miss. An unusable entry (corrupt JSON, an
   * old shape) is logged once and deleted, so the next write replaces it and one bad entry never fails a request.
   */
  private async read<T>(key: string, schema: z.ZodType<T>): Promise<T | undefined> {
    let raw: unknown;
    try {
      raw = await this.keyv.get(key);
    } catch (error) {
      await this.discard(key, `unreadable (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    }
    if (raw === undefined || raw === null) return undefined;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    await this.discard(
      key,
      `does not fit its schema (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'})`,
    );
    return undefined;
  }

  async set(key: string, value: unknown, kind: CacheKind): Promise<void> {
    await this.keyv.set(key, value, CACHE_TTL[kind]);
  }

  /**
   * Returns the cached value, or computes, stores and returns it. `fresh` skips the read but still
   * stores the new value. `onHit` tells the caller when the value came from the cache.
   */
  async getOrCompute<T>(
    key: string,
    kind: CacheKind,
    options: { schema: z.ZodType<T>; fresh?: boolean; onHit?: () => void; shouldStore?: (value: T) => boolean },
    compute: () => Promise<T>,
  ): Promise<T> {
    if (!options.fresh) {
      const hit = await this.read(key, options.schema);
      if (hit !== undefined) {
        this.metrics.cacheLookup(kind, true);
        options.onHit?.();
        return hit;
      }
    }
    const flightKey = `${options.fresh ? 'fresh' : 'any'}:${key}`;
    let joined = false;
    const work = this.flights.run(
      flightKey,
      async () => {
        const value = await compute();
        if (options.shouldStore?.(value) ?? true) await this.set(key, value, kind);
        return value;
      },
      () => {
        joined = true;
        options.onHit?.();
      },
    );
    // Joining work already under way costs nothing more: a hit, as the run's stats count it. A fresh request that
    // starts its own work skipped the lookup, so it is not counted at all.
    if (joined || !options.fresh) this.metrics.cacheLookup(kind, joined);
    return work;
  }

  private async discard(key: string, why: string): Promise<void> {
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.logger?.warn({ key, problem: why }, 'ignored an unusable cache entry; it will be replaced');
    }
    await this.keyv.delete(key).catch(() => undefined);
  }
}

/** The kind a key was made for (`key()` puts it second). */
function kindOf(key: string): CacheKind | undefined {
  const kind = key.split(':')[1];
  return kind !== undefined && kind in CACHE_TTL ? (kind as CacheKind) : undefined;
}

function safeScope(scope: string): string {
  return scope.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'default';
}
