import { setTimeout as sleep } from 'node:timers/promises';

// The rule every CRM write of Leads follows (HubSpot today; any CRM client can use it): a create whose outcome is
// unknown (a timeout, a 5xx, a dropped connection, a conflict) is never simply sent again, since the first one may
// have been written and only its answer lost. Instead the CRM is asked what it now holds for those items (a read by
// the key Leads gave the records, or a search, waited out for a while when it lags), and only what is still missing
// is created, a bounded number of times. What could not be confirmed either way is reported, never guessed.

/** What `createOnce` needs from a CRM: a way to create items, and a way to find those it already holds. */
export interface CreateOnceSteps<I, R> {
  /** Creates these items; answers what it created. Throws when it cannot say whether they were written. */
  create(items: readonly I[]): Promise<Map<I, R>>;
  /** What the CRM holds for these items now (those not found are simply absent from the answer). */
  find(items: readonly I[]): Promise<Map<I, R>>;
  /** True for a failure after which some items may exist: timeouts, 5xx, dropped connections, conflicts. A failure
   * that says nothing was written (a refused token, a bad request) is false and ends the write at once. */
  outcomeUnknown(error: unknown): boolean;
}

export interface CreateOnceOptions {
  /** After an unknown outcome, how often `find` is asked before what it did not find is created again (a lagging
   * search wants several looks; a consistent read by key one or two). */
  finds?: number;
  /** The pause before each of those looks: a write still in flight may land a little after its answer was lost. */
  findDelayMs?: number;
  /** Creates tried in all, each but the first only for what `find` did not find. */
  creates?: number;
  signal?: AbortSignal;
}

export interface CreateOnceResult<I, R> {
  /** Items this call created, with the CRM's answer. */
  created: Map<I, R>;
  /** Items a create with an unknown outcome did write, as `find` found them afterwards. */
  found: Map<I, R>;
  /** Items neither confirmed nor found: they may or may not be in the CRM. */
  unconfirmed: I[];
  /** Why the last create failed, when items are unconfirmed. */
  error?: unknown;
}

/** Creates each item at most once, whatever answers are lost on the way (see the rule above). */
export async function createOnce<I, R>(
  items: readonly I[],
  steps: CreateOnceSteps<I, R>,
  options: CreateOnceOptions = {},
): Promise<CreateOnceResult<I, R>> {
  const finds = options.finds ?? 2;
  const findDelayMs = options.findDelayMs ?? 500;
  const creates = options.creates ?? 3;
  const created = new Map<I, R>();
  const found = new Map<I, R>();
  let pending = [...items];
  let error: unknown;
  for (let attempt = 1; attempt <= creates && pending.length > 0; attempt += 1) {
    try {
      for (const [item, record] of await steps.create(pending)) created.set(item, record);
      error = undefined;
    } catch (failure) {
      if (!steps.outcomeUnknown(failure)) throw failure;
      error = failure;
    }
    pending = pending.filter((item) => !created.has(item));
    // Whatever the create did not confirm is looked for before anything is created again.
    for (let look = 0; look < finds && pending.length > 0; look += 1) {
      await sleep(findDelayMs, undefined, options.signal ? { signal: options.signal } : undefined);
      let now: Map<I, R>;
      try {
        now = await steps.find(pending);
      } catch (failure) {
        // The CRM cannot say what it holds: creating again could duplicate, so these stay unconfirmed.
        return { created, found, unconfirmed: pending, error: failure };
      }
      for (const [item, record] of now) found.set(item, record);
      pending = pending.filter((item) => !found.has(item));
    }
  }
  return { created, found, unconfirmed: pending, ...(pending.length > 0 ? { error } : {}) };
}
