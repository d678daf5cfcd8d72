// p-queue has one FIFO (priorities, not keys), so one big run would starve everyone queued behind it;
// this keeps a queue per key and serves the keys in turn.

export interface FairLimiter {
  /** Runs `task` when a slot is free and it is `key`'s turn; a task whose signal aborts while queued never starts. */
  run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Tasks running now. */
  active(): number;
  /** Tasks waiting for a slot. */
  pending(): number;
  readonly concurrency: number;
}

interface Waiter {
  start: () => void;
}

/** A global concurrency cap shared fairly (round-robin) between keys such as runs or Slack teams. */
export function createFairLimiter(concurrency: number): FairLimiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const queues = new Map<string, Waiter[]>();
  // Keys with waiting tasks, in turn order: the head is served next, then moves to the back.
  const turn: string[] = [];
  let running = 0;
  let waiting = 0;

  function dispatch(): void {
    while (running < concurrency && turn.length > 0) {
      const key = turn.shift() as string;
      const queue = queues.get(key) ?? [];
      const next = queue.shift();
      if (queue.length > 0) turn.push(key);
      else queues.delete(key);
      if (next) {
        waiting -= 1;
        running += 1;
        next.start();
      }
    }
  }

  function remove(key: string, waiter: Waiter): void {
    const queue = queues.get(key);
    const index = queue?.indexOf(waiter) ?? -1;
    if (!queue || index < 0) return;
    queue.splice(index, 1);
    waiting -= 1;
    if (queue.length === 0) {
      queues.delete(key);
      turn.splice(turn.indexOf(key), 1);
    }
  }

  return {
    concurrency,
    active: () => running,
    pending: () => waiting,
    run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => {
          remove(key, waiter);
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            Promise.resolve()
              .then(task)
              .then(resolve, reject)
              .finally(() => {
                running -= 1;
                dispatch();
              });
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const queue = queues.get(key);
        if (queue) queue.push(waiter);
        else {
          queues.set(key, [waiter]);
          turn.push(key);
        }
        waiting += 1;
        dispatch();
      });
    },
  };
}
