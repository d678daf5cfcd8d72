import type { Schedule } from '../domain/schedule.js';

/** One firing of a schedule: the front end loads the schedule by id (it may have been cancelled since) and runs it. */
export interface ScheduleFiring {
  scope: string;
  scheduleId: string;
  /** When it was due; two instances firing the same schedule at the same time give the same date. */
  firedAt: Date;
}

/**
 * Fires stored schedules at their times. Two implementations fit behind it: in-process timers (croner) for the
 * single-process mode, and, where several instances share Redis, BullMQ job schedulers (`upsertJobScheduler` keyed
 * by the schedule id on one queue, a worker calling `onFire`), so that exactly one instance runs each firing. The
 * schedules themselves live in the ScheduleStore either way; a scheduler only holds timers or job schedulers.
 */
export interface DigestScheduler {
  /** "in-process" (croner) or "bullmq" (Redis): shown in App Home's health section. */
  readonly kind: 'in-process' | 'bullmq';
  /** Registers every stored schedule and starts calling `onFire` at their times. */
  start(onFire: (firing: ScheduleFiring) => Promise<void>): Promise<void>;
  /** Starts firing a schedule just stored. */
  add(schedule: Schedule): Promise<void>;
  /** Stops firing a cancelled schedule. */
  remove(schedule: Pick<Schedule, 'scope' | 'id'>): Promise<void>;
  /** Stops every timer; a firing under way finishes. */
  stop(): Promise<void>;
}
