import { Cron } from 'croner';
import { CADENCE_CRON, type CadenceKind } from '../domain/schedule.js';

/** A digest more often than this would spend the model on noise and flood the channel. */
export const MIN_INTERVAL_MS = 60 * 60 * 1000;

export type CadenceReading =
  { ok: true; cadence: CadenceKind; cron: string; rest: string } | { ok: false; problem: string };

const CRON_FIELD = /^[0-9*?/,\-LW#A-Za-z]+$/;
const CRON_NAMES = /^(?:(?:MON|TUE|WED|THU|FRI|SAT|SUN|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(?:[-,]|$))+$/i;

/**
 * Reads "daily …", "weekly …" or a five-field cron expression ("0 9 * * 1-5 …", quoted or not) off the front of
 * a `/leads schedule` text; the rest is the request. The expression must be valid in `timezone` and fire at most
 * once an hour.
 */
export function readCadence(text: string, timezone: string): CadenceReading {
  const trimmed = text.trim();
  const word = /^(daily|weekly)\b\s*/i.exec(trimmed);
  if (word) {
    const cadence = word[1]!.toLowerCase() as 'daily' | 'weekly';
    return { ok: true, cadence, cron: CADENCE_CRON[cadence], rest: trimmed.slice(word[0].length) };
  }
  const quoted = /^["'`“”‘’]([^"'`“”‘’]+)["'`“”‘’]\s*/.exec(trimmed);
  const fields = quoted ? quoted[1]!.trim().split(/\s+/) : trimmed.split(/\s+/).slice(0, 5);
  const looksLikeCron =
    fields.length === 5 && fields.every((f) => CRON_FIELD.test(f) && (/[0-9*?]/.test(f) || CRON_NAMES.test(f)));
  if (!looksLikeCron)
    return { ok: false, problem: 'Say how often: `daily`, `weekly`, or a cron expression such as `"0 9 * * 1-5"`.' };
  const cron = fields.join(' ');
  const rest = quoted ? trimmed.slice(quoted[0].length) : trimmed.split(/\s+/).slice(5).join(' ');
  const problem = cronProblem(cron, timezone);
  return problem ? { ok: false, problem } : { ok: true, cadence: 'cron', cron, rest };
}

/** Why a cron expression cannot be a digest schedule, or undefined when it can. */
export function cronProblem(cron: string, timezone: string): string | undefined {
  let runs: Date[];
  try {
    runs = new Cron(cron, { timezone, mode: '5-part', paused: true }).nextRuns(3);
  } catch (error) {
    return `\`${cron}\` is not a cron expression I can read (${(error as Error).message}). Use five fields: minute hour day-of-month month day-of-week.`;
  }
  if (runs.length === 0) return `\`${cron}\` never fires.`;
  for (let i = 1; i < runs.length; i += 1) {
    if (runs[i]!.getTime() - runs[i - 1]!.getTime() < MIN_INTERVAL_MS)
      return `\`${cron}\` fires more than once an hour; a digest can run at most hourly.`;
  }
  return undefined;
}

/** When a schedule fires next after `after` (null if never). */
export function nextRunOf(schedule: { cron: string; timezone: string }, after: Date = new Date()): Date | null {
  try {
    return new Cron(schedule.cron, { timezone: schedule.timezone, mode: '5-part', paused: true }).nextRun(after);
  } catch {
    return null;
  }
}
