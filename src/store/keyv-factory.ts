import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import KeyvRedis from '@keyv/redis';

export interface KeyvOptions {
  /** Key prefix in a shared Redis (REDIS_PREFIX), so several deployments can use one server. */
  namespace?: string;
  /**
   * A failed write throws instead of being logged and skipped. The run store wants this (a checkpoint that was not
   * stored must not pass for one); the cache does not (a lost cache entry only costs a recomputation).
   */
  throwOnErrors?: boolean;
  /** Applied to every value as it is written (the secret scrubber): nothing stored holds a secret of the app. */
  scrub?: (text: string) => string;
}

/** Opens the shared Keyv behind CACHE_URL: SQLite by default, Redis when several app instances and workers share state. */
export function createKeyv(cacheUrl: string, options: KeyvOptions = {}): Keyv {
  const keyv = openKeyv(cacheUrl, options);
  const { scrub } = options;
  // Every store of the app (the work cache, the run store, feedback, schedules, digest memory, recent runs) writes
  // through this one serializer, so one scrub here covers SQLite and Redis alike. Keyv stores JSON text, and no
  // secret contains a character JSON escapes, so a secret in any value is found and replaced.
  const serialize = keyv.serialize;
  if (scrub && serialize) keyv.serialize = async (data) => scrub(await serialize(data));
  return keyv;
}

function openKeyv(cacheUrl: string, options: KeyvOptions): Keyv {
  if (cacheUrl.startsWith('sqlite://')) {
    const path = cacheUrl.slice('sqlite://'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // busyTimeout lets the CLI and the Slack app share one file without "database is locked".
    const store = new KeyvSqlite({ uri: cacheUrl, busyTimeout: 5_000, keySize: 512 });
    // The store rejects an internal promise when the file cannot be opened (not a database, unreadable); with no
    // query waiting yet that would crash the process. The failure is still reported: Keyv's error event, /healthz.
    store.query('SELECT 1').catch(() => undefined);
    return new Keyv({ store, namespace: undefined, useKeyPrefix: false });
  }
  if (/^rediss?:\/\//.test(cacheUrl)) {
    const throwOnErrors = options.throwOnErrors ?? false;
    const store = new KeyvRedis(cacheUrl, {
      namespace: options.namespace,
      throwOnErrors,
      throwOnConnectError: throwOnErrors,
    });
    return new Keyv({ store, namespace: options.namespace, useKeyPrefix: false, throwOnErrors });
  }
  return new Keyv();
}
