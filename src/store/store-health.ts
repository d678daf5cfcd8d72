import type Keyv from 'keyv';
import { redactUrlCredentials } from '../domain/url-credentials.js';

/** Whether a dependency works, and if not, what a person should look at. */
export interface HealthStatus {
  ok: boolean;
  problem?: string;
}

/** "SQLite file /data/cache.sqlite", "Redis at redis://host:6379": which store, in words an operator can act on. */
export function describeStore(cacheUrl: string): string {
  if (cacheUrl.startsWith('sqlite://')) return `SQLite file ${cacheUrl.slice('sqlite://'.length)}`;
  if (/^rediss?:\/\//.test(cacheUrl)) return `Redis at ${redactUrlCredentials(cacheUrl)}`;
  return 'the in-memory store';
}

/**
 * Writes a fresh value and reads it back: a store that answers reads but keeps nothing (a corrupt SQLite file,
 * a read-only Redis) is unhealthy, whatever a bare read says. Keyv reports store errors as events, so those are
 * collected while the probe runs and named in the problem.
 */
export async function probeStore(keyv: Keyv, cacheUrl: string): Promise<HealthStatus> {
  const errors: string[] = [];
  const onError = (error: unknown) => errors.push(error instanceof Error ? error.message : String(error));
  keyv.on('error', onError);
  const key = `health:probe:${process.pid}`;
  const expected = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  try {
    await keyv.set(key, expected, 60_000);
    const seen = await keyv.get(key);
    if (seen === expected) return { ok: true };
    const why = errors[0] ?? 'a value written was not read back';
    return { ok: false, problem: `${describeStore(cacheUrl)}: ${why}` };
  } catch (error) {
    return {
      ok: false,
      problem: `${describeStore(cacheUrl)}: ${errors[0] ?? (error instanceof Error ? error.message : String(error))}`,
    };
  } finally {
    keyv.off('error', onError);
  }
}
