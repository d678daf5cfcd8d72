import type { Logger } from '../logger.js';

/** Work that runs after the ack (runs, exports); tracked so shutdown and tests can wait for it. */
export interface BackgroundTasks {
  run(name: string, work: () => Promise<void>): void;
  /** Resolves once nothing is running (or after `timeoutMs`). */
  idle(timeoutMs?: number): Promise<void>;
  size(): number;
}

/** In-process tracker; errors are logged, never thrown into Bolt after the ack. */
export function createBackgroundTasks(logger: Logger): BackgroundTasks {
  const running = new Set<Promise<void>>();
  return {
    run(name, work) {
      const task: Promise<void> = Promise.resolve()
        .then(work)
        .catch((error: unknown) => logger.error({ task: name, err: error instanceof Error ? error.message : String(error) }, 'background task failed'))
        .finally(() => running.delete(task));
      running.add(task);
    },
    async idle(timeoutMs = Number.POSITIVE_INFINITY) {
      const deadline = Date.now() + timeoutMs;
      while (running.size > 0 && Date.now() < deadline) {
        const left = deadline - Date.now();
        const timer = Number.isFinite(left) ? new Promise<void>((r) => setTimeout(r, left).unref()) : new Promise<void>(() => undefined);
        await Promise.race([Promise.allSettled([...running]), timer]);
      }
    },
    size: () => running.size,
  };
}
