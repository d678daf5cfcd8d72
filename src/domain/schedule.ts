import { z } from 'zod';
import { intentKinds } from './types.js';

// Scheduled digests: a request that runs on its own in a channel, and whose latest result answers the same request
// at once when anyone in the workspace types it.

export const cadenceKinds = ['daily', 'weekly', 'cron'] as const;
export type CadenceKind = (typeof cadenceKinds)[number];

/** When "daily" and "weekly" fire (minute hour day-of-month month day-of-week), in the schedule's time zone. */
export const CADENCE_CRON: Record<Exclude<CadenceKind, 'cron'>, string> = {
  daily: '0 6 * * *',
  weekly: '0 6 * * 1',
};

/** A latest scheduled result older than this is not served as an instant answer; a fresh run is. */
export const INSTANT_ANSWER_MAX_AGE_MS = 8 * 24 * 60 * 60 * 1000;

/** One schedule, as stored per workspace. */
export const scheduleSchema = z.object({
  id: z.string().min(1),
  scope: z.string().min(1),
  channelId: z.string().min(1),
  createdBy: z.string(),
  createdAt: z.string(),
  cadence: z.enum(cadenceKinds),
  cron: z.string().min(1).describe('Five-field cron expression'),
  timezone: z.string().min(1),
  /** The request text the pipeline runs, as /leads would have run it. */
  request: z.string().min(1),
  intent: z.enum(intentKinds).optional(),
  lastRun: z.object({ runId: z.string(), at: z.string(), status: z.enum(['succeeded', 'failed']) }).optional(),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** The newest finished scheduled run of a request, which answers that request instantly. */
export const latestResultSchema = z.object({
  runId: z.string(),
  scheduleId: z.string(),
  channelId: z.string(),
  request: z.string(),
  finishedAt: z.string(),
});
export type LatestResult = z.infer<typeof latestResultSchema>;

/** Requests that differ only in case, spacing or trailing punctuation are the same request. */
export function requestKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/[.!?,;:\s]+$/g, '')
    .trim();
}

/** True when a stored result may still answer a request typed now. */
export function answersInstantly(latest: Pick<LatestResult, 'finishedAt'>, now: Date): boolean {
  const age = now.getTime() - Date.parse(latest.finishedAt);
  return Number.isFinite(age) && age >= 0 && age <= INSTANT_ANSWER_MAX_AGE_MS;
}
