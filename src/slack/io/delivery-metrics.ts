import type { App } from '@slack/bolt';
import type { Metrics, SlackOutcome, SlackSurface } from '../../metrics/metrics.js';

/**
 * Times every delivery from the moment the receiver hands it over to its ack (leads_slack_ack_duration_seconds).
 * Bolt has no hook on ack, but every receiver (HTTP and Socket Mode) passes each delivery, with its ack function,
 * to `app.processEvent`; wrapping that one method sees all of them, events included (Bolt acks those itself).
 */
export function timeAcks(app: App, metrics: Pick<Metrics, 'slackAck'>): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const received = performance.now();
    let timed = false;
    const ack: typeof event.ack = async (response) => {
      try {
        return await event.ack(response);
      } finally {
        if (!timed) {
          timed = true;
          metrics.slackAck(performance.now() - received);
        }
      }
    };
    return processEvent({ ...event, ack });
  };
}

/** The surface a delivery came in on, from Bolt's middleware arguments (undefined for kinds the app does not handle). */
export function surfaceOf(args: object): SlackSurface | undefined {
  if ('command' in args) return 'command';
  if ('event' in args) return 'mention';
  if ('action' in args) return 'action';
  if ('view' in args) return 'view';
  return undefined;
}

/** A listener that says what became of the delivery, so it can be counted (leads_slack_requests_total). */
export type CountedListener<Args> = (args: Args) => Promise<SlackOutcome>;

/** Turns a listener that returns its outcome into the Bolt listener; one that throws counts as "error". */
export function counted<Args>(
  metrics: Pick<Metrics, 'slackRequest'>,
  surface: SlackSurface,
  listener: CountedListener<Args>,
): (args: Args) => Promise<void> {
  return async (args) => {
    let outcome: SlackOutcome = 'error';
    try {
      outcome = await listener(args);
    } finally {
      metrics.slackRequest(surface, outcome);
    }
  };
}
