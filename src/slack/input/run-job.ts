import { z } from 'zod';
import { intentKinds } from '../../domain/types.js';

// What the app puts on the queue for a worker: everything a run or re-score in a Slack thread needs, and no secret
// (the worker has its own bot token). Validated again when a worker takes it, since it comes back out of Redis.

const slackId = z.string().regex(/^[A-Za-z0-9]{1,40}$/);
const runId = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);
const messageTs = z.string().regex(/^\d{1,12}\.\d{1,8}$/);

const newRunJob = z.object({
  kind: z.literal('run'),
  runId,
  teamId: slackId,
  channelId: slackId,
  userId: slackId,
  text: z.string().min(1).max(4000),
  intent: z.enum(intentKinds).optional(),
  /** The thread to run in (a mention, Run again); without it the worker posts a parent message first. */
  threadTs: messageTs.optional(),
  /** A slash command's response_url: reaches the user when the channel refuses our messages. */
  responseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Search and ask the model again rather than use caches (Refresh). */
  fresh: z.boolean().optional(),
  /** False when the request must run even if a scheduled result could answer it (Refresh, Run again). */
  instant: z.boolean().optional(),
});

const rescoreJob = z.object({
  kind: z.literal('rescore'),
  runId,
  teamId: slackId,
  channelId: slackId,
  userId: slackId,
  threadTs: messageTs,
  note: z.string().max(1000).optional(),
  /** Tells two re-scores of one run apart (the modal submission's view id and hash). */
  requestId: z.string().regex(/^[A-Za-z0-9_.-]{1,120}$/),
});

/** One firing of a scheduled digest (a BullMQ job scheduler's job, or an in-process timer's). */
const digestJob = z.object({
  kind: z.literal('digest'),
  teamId: slackId,
  scheduleId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
});

export const runJobSchema = z.discriminatedUnion('kind', [newRunJob, rescoreJob, digestJob]);
export type RunJob = z.infer<typeof runJobSchema>;
export type DigestJob = z.infer<typeof digestJob>;
export type NewRunJob = z.infer<typeof newRunJob>;
export type RescoreJob = z.infer<typeof rescoreJob>;

/** The queue's job id: one job per run, one per re-score request (BullMQ ids may not contain ':'). Digest firings
 * are named by their scheduler (see digestFiringJobId). */
export function jobIdOf(job: NewRunJob | RescoreJob): string {
  return job.kind === 'run' ? runJobId(job.runId) : `rescore-${job.runId}-${job.requestId}`;
}

/** The job id of one in-process timer's firing: the schedule and the minute it was due. */
export function digestFiringJobId(job: DigestJob, firedAt: Date): string {
  return `digest-${job.teamId}-${job.scheduleId}-${firedAt.getTime()}`;
}

/** The job id of a new run's job. */
export function runJobId(runId: string): string {
  return `run-${runId}`;
}
