// p-queue has one FIFO (priorities, not keys), so one big run would starve everyone queued behind it;
// this keeps a queue per key and always serves the waiting key that was served least recently.

export interface FairLimiter {
  /** Runs `task` when a slot is free and it is `key`'s turn; a task whose signal aborts while queued never starts. */
  run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Tasks running now. */
  active(): number;
  /** Tasks waiting for a slot. */
  pending(): number;
  readonly concurrency: number;
}

interface KeyQueue {
  waiting: (() => void)[];
  running: number;
  /** Dispatch sequence number of this key's last start; 0 for a key that has not started anything yet. */
  lastServed: number;
}

/** A global concurrency cap shared fairly (round-robin) between keys such as runs or Slack teams. */
export function createFairLimiter(concurrency: number): FairLimiter {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const queues = new Map<string, KeyQueue>();
  let running = 0;
  let waiting = 0;
  let sequence = 0;

  function nextKey(): KeyQueue | undefined {
    let best: KeyQueue | undefined;
    for (const queue of queues.values()) {
      if (queue.waiting.length > 0 && (!best || queue.lastServed < best.lastServed)) best = queue;
    }
    return best;
  }

  function dispatch(): void {
    for (let queue = nextKey(); running < concurrency && queue; queue = nextKey()) {
      const start = queue.waiting.shift() as () => void;
      queue.lastServed = ++sequence;
      queue.running += 1;
      waiting -= 1;
      running += 1;
      start();
    }
    // A key is forgotten only when idle, so one still running keeps its place in the rotation.
    for (const [key, queue] of queues) if (queue.waiting.length === 0 && queue.running === 0) queues.delete(key);
  }

  return {
    concurrency,
    active: () => running,
    pending: () => waiting,
    run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<T>((resolve, reject) => {
        let queue = queues.get(key);
        if (!queue) {
          queue = { waiting: [], running: 0, lastServed: 0 };
          queues.set(key, queue);
        }
        const owner = queue;
        const onAbort = () => {
          const index = owner.waiting.indexOf(start);
          if (index >= 0) {
            owner.waiting.splice(index, 1);
            waiting -= 1;
          }
          if (owner.waiting.length === 0 && owner.running === 0 && queues.get(key) === owner) queues.delete(key);
          reject(signal?.reason);
        };
        const start = () => {
          signal?.removeEventListener('abort', onAbort);
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              running -= 1;
              owner.running -= 1;
              dispatch();
            });
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        owner.waiting.push(start);
        waiting += 1;
        dispatch();
      });
    },
  };
}
