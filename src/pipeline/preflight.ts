import { PreflightError } from '../errors.js';

/** One thing a run needs working before it starts: the model, the CRM. Throws an error whose message says what to
 * fix (which variable); resolves when all is well, or when the trouble is not the run's to stop for. */
export interface PreflightCheck {
  name: string;
  run(signal: AbortSignal): Promise<void>;
  /** False for what a run can do without (a CRM: the run goes on and says what it could not ask): a failure is only
   * reported through `onAdvice`, naming what to fix, once per check. */
  required?: boolean;
}

/** Checks before a run spends a search; throws PreflightError naming what to fix. */
export type Preflight = (signal?: AbortSignal) => Promise<void>;

export interface PreflightOptions {
  /** A passed check is trusted this long: every run of a busy process does not ask the model again. */
  passedForMs?: number;
  /** A failed check is remembered only this long, so a model that comes back is noticed at once. */
  failedForMs?: number;
  /** Each check's budget; a model that does not answer in it fails the check. */
  timeoutMs?: number;
  now?: () => number;
  /** Where a failed check that is not required is told (the log). */
  onAdvice?: (check: string, message: string) => void;
}

/**
 * Runs the checks before a run searches, at most once per `passedForMs` while they pass (a burst of runs shares one
 * check in flight), so a run without a working model fails in a second, naming what to set, instead of after ten
 * searches. Each process (the CLI, an app, each worker) has its own.
 */
export function createPreflight(checks: readonly PreflightCheck[], options: PreflightOptions = {}): Preflight {
  const passedForMs = options.passedForMs ?? 30_000;
  const failedForMs = options.failedForMs ?? 3_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = options.now ?? Date.now;
  let last: { at: number; error?: PreflightError } | undefined;
  let inFlight: Promise<void> | undefined;

  async function check(): Promise<void> {
    const failures = await Promise.all(
      checks.map(async (c) => {
        try {
          await c.run(AbortSignal.timeout(timeoutMs));
          return undefined;
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          if (c.required !== false) return failure;
          options.onAdvice?.(c.name, failure.message);
          return undefined;
        }
      }),
    );
    const failed = failures.filter((f): f is Error => f !== undefined);
    const error =
      failed.length > 0
        ? new PreflightError(`Checked before searching: ${failed.map((f) => f.message).join(' ')}`, {
            cause: failed[0],
          })
        : undefined;
    last = { at: now(), ...(error ? { error } : {}) };
    if (error) throw error;
  }

  return async (signal) => {
    if (last) {
      const age = now() - last.at;
      if (!last.error && age < passedForMs) return;
      if (last.error && age < failedForMs) throw last.error;
    }
    inFlight ??= check().finally(() => (inFlight = undefined));
    const shared = inFlight;
    if (!signal) return shared;
    // A caller that gives up stops waiting; the shared check goes on for the others.
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  };
}
