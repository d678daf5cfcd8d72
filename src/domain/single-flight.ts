// Identical work asked for while it is still running is done once: two people typing `/leads find customers`
// together share one search and one enrichment. Used by the cache and by the search client without a cache.

/** Shares one promise between callers that ask for the same key at the same time; forgets it once settled. */
export class SingleFlight {
  private readonly pending = new Map<string, Promise<unknown>>();

  /** Starts `work` unless `key` is already running; `onJoin` is called when this caller shares another's work. */
  run<T>(key: string, work: () => Promise<T>, onJoin?: () => void): Promise<T> {
    const running = this.pending.get(key) as Promise<T> | undefined;
    if (running) {
      onJoin?.();
      return running;
    }
    const started = work().finally(() => this.pending.delete(key));
    this.pending.set(key, started);
    return started;
  }
}
