import { Cron } from 'croner';
import type { Schedule } from '../domain/schedule.js';
import type { Logger } from '../logger.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import type { DigestScheduler, ScheduleFiring } from './types.js';

/**
 * Schedules with in-process timers (croner): right for one process on SQLite. With several instances each would
 * fire every schedule, which is why REDIS_URL mode uses the BullMQ job schedulers (bullmq-scheduler.ts) instead.
 */
export function createCronerScheduler(deps: { store: ScheduleStore; logger: Logger }): DigestScheduler {
  const jobs = new Map<string, Cron>();
  let onFire: ((firing: ScheduleFiring) => Promise<void>) | undefined;

  function register(schedule: Schedule): void {
    jobs.get(schedule.id)?.stop();
    const job = new Cron(
      schedule.cron,
      {
        timezone: schedule.timezone,
        mode: '5-part',
        // A digest still running when its next time comes is not started twice.
        protect: (blocked) =>
          deps.logger.warn(
            { scheduleId: schedule.id, at: blocked.currentRun()?.toISOString() },
            'skipped a digest firing: the previous one is still running',
          ),
        catch: (error) => deps.logger.error({ scheduleId: schedule.id, err: String(error) }, 'a digest firing failed'),
        unref: true,
      },
      async () => {
        // The minute it was due (croner fires just after it): it names the firing's job, so one firing is one job.
        const due = new Date(Math.floor(Date.now() / 60_000) * 60_000);
        await onFire?.({ scope: schedule.scope, scheduleId: schedule.id, firedAt: due });
      },
    );
    jobs.set(schedule.id, job);
  }

  return {
    kind: 'in-process',
    async start(fire) {
      onFire = fire;
      for (const schedule of await deps.store.listAll()) {
        try {
          register(schedule);
        } catch (error) {
          deps.logger.error(
            { scheduleId: schedule.id, err: String(error) },
            'a stored schedule could not be registered',
          );
        }
      }
      deps.logger.info({ schedules: jobs.size }, 'digest schedules registered');
    },
    async add(schedule) {
      register(schedule);
    },
    async remove(schedule) {
      jobs.get(schedule.id)?.stop();
      jobs.delete(schedule.id);
    },
    async stop() {
      for (const job of jobs.values()) job.stop();
      jobs.clear();
      onFire = undefined;
    },
  };
}
