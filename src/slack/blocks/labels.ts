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

/**
 * A date Slack shows in each reader's own time zone ("today 06:00", "Monday, March 9th 06:00"); `fallback` is what
 * clients that cannot format dates show, in UTC.
 */
export function slackDate(date: Date, format = '{date_pretty} {time}'): string {
  const epoch = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${epoch}^${format}|${fallback}>`;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "every Monday at 06:00 (UTC)", "every day at 06:00 (Europe/Berlin)", "on `0 9 * * 1-5` (UTC)". */
export function describeCadence(schedule: {
  cadence: 'daily' | 'weekly' | 'cron';
  cron: string;
  timezone: string;
}): string {
  const [minute, hour, , , weekday] = schedule.cron.split(' ');
  const time = `${(hour ?? '0').padStart(2, '0')}:${(minute ?? '0').padStart(2, '0')}`;
  if (schedule.cadence === 'daily') return `every day at ${time} (${schedule.timezone})`;
  if (schedule.cadence === 'weekly')
    return `every ${WEEKDAYS[Number(weekday)] ?? 'week'} at ${time} (${schedule.timezone})`;
  return `on cron \`${schedule.cron}\` (${schedule.timezone})`;
}

/** "Weekly", "Daily" or "Scheduled": how a digest introduces itself. */
export function cadenceTitle(cadence: 'daily' | 'weekly' | 'cron'): string {
  return cadence === 'daily' ? 'Daily' : cadence === 'weekly' ? 'Weekly' : 'Scheduled';
}

/** "<@U123>" for a real user id, else "someone": ids from payloads are never pasted into mrkdwn unchecked. */
export function mentionUser(userId: string): string {
  return /^[UW][A-Z0-9]{2,20}$/.test(userId) ? `<@${userId}>` : 'someone';
}

/** "<#C123>" for a real channel id, else "a channel". */
export function mentionChannel(channelId: string): string {
  return /^[CDG][A-Z0-9]{2,20}$/.test(channelId) ? `<#${channelId}>` : 'a channel';
}
