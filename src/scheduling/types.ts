import type { Schedule } from '../domain/schedule.js';

/** One firing of a schedule: the front end loads the schedule by id (it may have been cancelled since) and runs it. */
export interface ScheduleFiring {
  scope: string;
  scheduleId: string;
  /** When it was due; two instances firing the same schedule at the same time give the same date. */
  firedAt: Date;
}

/** What a firing puts on the runs queue: the job handler turns it into the digest run. */
export interface DigestFiringJob {
  kind: 'digest';
  teamId: string;
  scheduleId: string;
}

/** The job of one schedule's firings. */
export function digestFiringJob(schedule: Pick<Schedule, 'scope' | 'id'>): DigestFiringJob {
  return { kind: 'digest', teamId: schedule.scope, scheduleId: schedule.id };
}

/**
 * Fires stored schedules at their times. Two implementations: in-process timers (croner) for the single-process
 * mode, which call `onFire` in this process; and, in REDIS_URL mode, BullMQ job schedulers (`upsertJobScheduler`
 * keyed by the schedule on the runs queue), where Redis keeps the time and each firing is one job that one worker
 * takes, however many app instances run. The schedules themselves live in the ScheduleStore either way; a scheduler
 * only holds timers or job schedulers.
 */
export interface DigestScheduler {
  /** "in-process" (croner) or "bullmq" (Redis): shown in App Home's health section. */
  readonly kind: 'in-process' | 'bullmq';
  /** Registers every stored schedule (BullMQ: reconciles Redis's job schedulers with them) and starts firing; the
   * in-process timers call `onFire`, BullMQ's firings are jobs on the runs queue instead. */
  start(onFire: (firing: ScheduleFiring) => Promise<void>): Promise<void>;
  /** Starts firing a schedule just stored. */
  add(schedule: Schedule): Promise<void>;
  /** Stops firing a cancelled schedule. */
  remove(schedule: Pick<Schedule, 'scope' | 'id'>): Promise<void>;
  /** Stops every timer; a firing under way finishes. */
  stop(): Promise<void>;
}
