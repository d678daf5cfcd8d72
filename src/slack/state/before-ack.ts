import { SharedStateError } from '../../errors.js';

/** Slack wants an ack within 3 s; all shared-state calls before one ack get this long together, so it always goes out. */
export const ACK_BUDGET_MS = 1500;

/** What a user is told when the shared state behind de-duplication and one-run-per-person does not answer. */
export const SHARED_STATE_DOWN =
  'Leads can’t reach its shared store right now, so I didn’t start anything. Try again in a minute.';

/** One delivery's time for shared-state calls before its ack: each call gets what the earlier ones left. */
export interface AckBudget {
  /** `work`, or a SharedStateError once the budget is spent (Redis down or unreachable). */
  within<T>(work: Promise<T>): Promise<T>;
}

/** Starts the budget when the delivery arrives. */
export function ackBudget(ms = ACK_BUDGET_MS, now: () => number = Date.now): AckBudget {
  const deadline = now() + ms;
  return {
    async within<T>(work: Promise<T>): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          work,
          new Promise<never>((_resolve, reject) => {
            timer = setTimeout(
              () => reject(new SharedStateError(`no answer within the ${ms} ms before the ack`)),
              Math.max(0, deadline - now()),
            );
          }),
        ]);
      } catch (error) {
        if (error instanceof SharedStateError) throw error;
        throw new SharedStateError(error instanceof Error ? error.message : String(error), { cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
