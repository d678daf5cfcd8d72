import type { SlackMessage } from '../blocks/message.js';
import type { LineLogger } from '../../logger.js';

/**
 * One message updated in place at most once per interval: updates in between coalesce into the latest,
 * a slow or rate-limited update delays the next, and the final state always lands.
 */
export class ThrottledMessage {
  private pending: SlackMessage | undefined;
  private sending: Promise<void> | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private finished = false;

  constructor(
    private readonly send: (message: SlackMessage) => Promise<void>,
    private readonly intervalMs: number,
    private readonly logger: Pick<LineLogger, 'warn'>,
  ) {}

  update(message: SlackMessage): void {
    if (this.finished) return;
    this.pending = message;
    this.kick();
  }

  /** Sends the final state after any update in flight, and resolves when it has been sent (or failed). */
  async finish(message: SlackMessage): Promise<void> {
    this.finished = true;
    this.pending = message;
    this.kick();
    while (this.sending) await this.sending;
  }

  private kick(): void {
    if (this.sending) return;
    this.sending = this.loop().finally(() => {
      this.sending = undefined;
      if (this.pending) this.kick();
    });
  }

  private async loop(): Promise<void> {
    while (this.pending) {
      const wait = this.lastSentAt + this.intervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const message = this.pending;
      this.pending = undefined;
      if (!message) return;
      try {
        await this.send(message);
      } catch (error) {
        this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'progress update failed');
      }
      this.lastSentAt = Date.now();
    }
  }
}
