/** Remembers delivery ids (event_id, trigger_id, view id) so a Slack retry starts no second run. */
export interface DeliveryDedupe {
  /** True the first time a key is seen within the window; false for a repeat. */
  firstDelivery(key: string): boolean;
}

/** In-process memory; Slack retries within minutes, so an hour's window is ample. */
export function createDeliveryDedupe(options: { ttlMs?: number; maxKeys?: number; now?: () => number } = {}): DeliveryDedupe {
  const ttlMs = options.ttlMs ?? 60 * 60 * 1000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  return {
    firstDelivery(key) {
      const at = now();
      const previous = seen.get(key);
      if (previous !== undefined && at - previous < ttlMs) return false;
      seen.set(key, at);
      if (seen.size > maxKeys) {
        for (const [k, t] of seen) {
          if (at - t >= ttlMs || seen.size > maxKeys) seen.delete(k);
          else break;
        }
      }
      return true;
    },
  };
}
