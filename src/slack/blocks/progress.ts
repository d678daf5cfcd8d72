import type { ProgressEvent, Stage, StageTimes } from '../../domain/types.js';
import { escapeAndFit } from './escape.js';
import { formatDuration, formatStageTime, plural, STAGE_LABELS, STEPS } from './labels.js';
import type { SlackMessage } from './message.js';

/** What the one progress message shows; folded from the pipeline's events. */
export interface ProgressState {
  title: string;
  status: 'running' | 'succeeded' | 'empty' | 'failed';
  stage: Stage;
  message: string;
  done: number;
  total: number;
  candidates?: number;
  enriched?: number;
  scored?: number;
  startedAt: number;
  updatedAt: number;
  error?: string;
  /** Each stage's wall time, from the finished run's stats. */
  stageMs?: StageTimes;
}

/** The state before the first event. */
export function initialProgress(title: string, now: number): ProgressState {
  return {
    title,
    status: 'running',
    stage: 'intent',
    message: 'Starting',
    done: 0,
    total: 0,
    startedAt: now,
    updatedAt: now,
  };
}

/** Folds one pipeline event into the state; counts for the final summary are kept as they pass. */
export function reduceProgress(state: ProgressState, event: ProgressEvent, now: number): ProgressState {
  const next: ProgressState = { ...state, updatedAt: now };
  if (event.stage === 'failed') return { ...next, status: 'failed', error: event.message };
  if (event.stage === 'done')
    return { ...next, stage: 'done', message: event.message, done: event.done, total: event.total };
  next.stage = event.stage;
  next.message = event.message;
  next.done = event.done;
  next.total = event.total;
  if (event.stage === 'enrichment') {
    next.candidates = Math.max(state.candidates ?? 0, event.total);
    next.enriched = event.done;
  }
  if (event.stage === 'scoring') {
    next.enriched ??= event.total;
    // Scoring may count screening passes too; no more companies are scored than were enriched.
    next.scored = Math.max(state.scored ?? 0, Math.min(event.done, next.enriched));
  }
  return next;
}

/** Marks the run finished; the message then reads as a compact summary with each stage's time. */
export function completeProgress(state: ProgressState, now: number, stageMs?: StageTimes): ProgressState {
  return { ...state, status: 'succeeded', stage: 'done', updatedAt: now, ...(stageMs ? { stageMs } : {}) };
}

/** Marks the run finished without a company fit to show: not a success, not a breakdown. */
export function emptyProgress(state: ProgressState, now: number): ProgressState {
  return { ...state, status: 'empty', stage: 'done', updatedAt: now };
}

/** Marks the run failed with a plain-words reason. */
export function failProgress(state: ProgressState, reason: string, now: number): ProgressState {
  return { ...state, status: 'failed', error: reason, updatedAt: now };
}

/** The progress message: stage and a bar while running; a one-line summary or failure at the end. */
export function renderProgress(state: ProgressState): SlackMessage {
  const elapsed = formatDuration(state.updatedAt - state.startedAt);
  const counts = summaryCounts(state);
  if (state.status === 'succeeded') {
    const timeline = stageTimeline(state.stageMs);
    const line = `:white_check_mark: Finished in ${elapsed}${counts ? ` · ${counts}` : ''}${timeline ? `\n${timeline}` : ''}`;
    return { text: line, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: line }] }] };
  }
  if (state.status === 'empty') {
    const line = `:heavy_minus_sign: Finished without results after ${elapsed}${counts ? ` · ${counts}` : ''}`;
    return { text: line, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: line }] }] };
  }
  if (state.status === 'failed') {
    const where = STEPS.includes(state.stage) ? ` while ${STAGE_LABELS[state.stage].toLowerCase()}` : '';
    const line = `:x: Failed${where} after ${elapsed}${counts ? ` · ${counts}` : ''}`;
    // The reason itself follows in its own message; the progress line only records that the run failed.
    return { text: line, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: line }] }] };
  }
  const step = Math.max(0, STEPS.indexOf(state.stage)) + 1;
  const bar = progressBar(state.done, state.total);
  const line = `:hourglass_flowing_sand: *${STAGE_LABELS[state.stage]}* (step ${step} of ${STEPS.length})`;
  const detail = `${bar} ${escapeAndFit(state.message, 300)} · ${elapsed}`;
  return {
    text: `${STAGE_LABELS[state.stage]}: ${escapeAndFit(state.message, 300)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: line } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: detail }] },
    ],
  };
}

/** "Reading the request 0.1 s · Searching the web 6.2 s · …": where the run's time went, stages in order. */
function stageTimeline(stageMs: StageTimes | undefined): string {
  if (!stageMs) return '';
  return STEPS.flatMap((stage) => {
    const ms = stageMs[stage as keyof StageTimes];
    return ms === undefined ? [] : [`${STAGE_LABELS[stage]} ${formatStageTime(ms)}`];
  }).join(' · ');
}

function summaryCounts(state: ProgressState): string {
  const parts: string[] = [];
  if (state.candidates !== undefined) parts.push(`${plural(state.candidates, 'candidate')} found`);
  if (state.enriched !== undefined) parts.push(`${state.enriched} enriched`);
  if (state.scored !== undefined) parts.push(`${state.scored} scored`);
  return parts.join(' · ');
}

function progressBar(done: number, total: number): string {
  const width = 10;
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `\`${'█'.repeat(filled)}${'░'.repeat(width - filled)}\``;
}
