import type { App } from '@slack/bolt';
import { waitIdle } from './wait-idle.js';

/** Deliveries whose listeners are still working, tracked so shutdown and tests can wait for them. */
export interface DeliveriesInFlight {
  /** Resolves once every delivery received so far has been handled (or after `timeoutMs`). */
  idle(timeoutMs?: number): Promise<void>;
  size(): number;
}

/**
 * A listener may still be working after its ack: Bolt acks an event before its listener runs, and a listener that
 * waits for Redis (de-duplication, the person's claim) queues its work only then. Every receiver (HTTP and Socket
 * Mode) hands each delivery to `app.processEvent`, which settles when the listeners have; tracking those promises
 * lets a shutdown or a test wait for work that is about to be queued, not only for work already queued.
 */
export function trackDeliveries(app: App): DeliveriesInFlight {
  const running = new Set<Promise<unknown>>();
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const handling = processEvent(event);
    const tracked: Promise<unknown> = handling.catch(() => undefined).finally(() => running.delete(tracked));
    running.add(tracked);
    return handling;
  };
  return {
    idle: (timeoutMs) => waitIdle(running, timeoutMs),
    size: () => running.size,
  };
}
