import type { IntentKind, Stage } from '../../domain/types.js';

/** What each pipeline stage is called in progress and interruption messages. */
export const STAGE_LABELS: Record<Stage, string> = {
  intent: 'Reading the request',
  research: 'Searching the web',
  enrichment: 'Looking up companies',
  scoring: 'Scoring fit',
  done: 'Done',
  failed: 'Failed',
};

/** The stages a run works through, in order ("step 2 of 4"). */
export const STEPS: readonly Stage[] = ['intent', 'research', 'enrichment', 'scoring'];

/** The plural noun a request is about, for titles ("customers", "partners"). */
export function intentNoun(intent: IntentKind | undefined): string {
  if (intent === 'customer') return 'customers';
  if (intent === 'partner') return 'partners';
  if (intent === 'both') return 'customers and partners';
  return 'leads';
}

/** "1m 12s", "8 s": durations people read at a glance. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes}m` : `${minutes}m ${rest}s`;
}

/** "12 ms", "6.2 s", "1m 12s": a stage's time, finer than a run's, since a stage served from the cache takes ms. */
export function formatStageTime(ms: number): string {
  if (ms < 999.5) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms);
}

/** Singular or plural with the count ("1 lead", "10 leads"). */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}
