import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import KeyvRedis from '@keyv/redis';

/** Opens the shared Keyv behind CACHE_URL: SQLite by default, Redis when several app instances share state. */
export function createKeyv(cacheUrl: string): Keyv {
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
  if (cacheUrl.startsWith('redis://')) {
    return new Keyv({ store: new KeyvRedis(cacheUrl), namespace: undefined, useKeyPrefix: false });
  }
  return new Keyv();
}
