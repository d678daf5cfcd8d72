import type { ProgressEvent, Stage } from '../domain/types.js';

// Where each stage sits in the overall bar, in rough proportion to its share of the wait.
const STAGE_SPAN: Record<Stage, [number, number]> = {
  intent: [0, 0.05],
  research: [0.05, 0.35],
  enrichment: [0.35, 0.75],
  scoring: [0.75, 1],
  done: [1, 1],
  failed: [1, 1],
};

export interface ProgressBar {
  update(event: ProgressEvent): void;
  stop(): void;
}

/** A one-line bar on a terminal; on a pipe or file, one plain line per stage change instead. */
export function createProgressBar(stream: NodeJS.WriteStream, width = 24): ProgressBar {
  const interactive = stream.isTTY === true;
  let lastStage: Stage | undefined;
  let drawn = false;
  return {
    update(event) {
      const [from, to] = STAGE_SPAN[event.stage];
      const fraction = from + (to - from) * (event.total > 0 ? Math.min(1, event.done / event.total) : 0);
      if (interactive) {
        const filled = Math.round(fraction * width);
        const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${event.stage}: ${event.message}`;
        const columns = stream.columns ?? 100;
        stream.write(`\r\u001b[2K${line.slice(0, columns - 1)}`);
        drawn = true;
      } else if (event.stage !== lastStage && event.stage !== 'done' && event.stage !== 'failed') {
        stream.write(`${event.stage}: ${event.message}\n`);
      }
      lastStage = event.stage;
    },
    stop() {
      if (interactive && drawn) stream.write('\r\u001b[2K');
      drawn = false;
    },
  };
}
