import type { Logger } from '../../logger.js';
import { waitIdle } from './wait-idle.js';

/** Work waits until deliveries have paused this long… */
const QUIET_MS = 50;
/** …but never longer than this after its own ack. */
const MAX_START_DELAY_MS = 1000;

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
  let lastQueuedAt = 0;
  const burstOver = (queuedAt: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        const now = Date.now();
        const quietFor = now - lastQueuedAt;
        const waited = now - queuedAt;
        if (quietFor >= QUIET_MS || waited >= MAX_START_DELAY_MS) resolve();
        else setTimeout(check, Math.min(QUIET_MS - quietFor, MAX_START_DELAY_MS - waited));
      };
      setTimeout(check, QUIET_MS);
    });
  return {
    run(name, work) {
      // Work starts once a burst of deliveries is over (fifty people typing /leads after a meeting), so every
      // ack goes out before any run takes the event loop; Slack wants acks within 3 s, runs take seconds anyway.
      const queuedAt = Date.now();
      lastQueuedAt = queuedAt;
      const task: Promise<void> = burstOver(queuedAt)
        .then(work)
        .catch((error: unknown) =>
          logger.error(
            { task: name, err: error instanceof Error ? error.message : String(error) },
            'background task failed',
          ),
        )
        .finally(() => running.delete(task));
      running.add(task);
    },
    idle: (timeoutMs) => waitIdle(running, timeoutMs),
    size: () => running.size,
  };
}
