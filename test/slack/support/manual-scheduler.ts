// A DigestScheduler whose firings the test triggers, so a digest runs exactly when the test says (the croner one
// is tested on its own, with fake timers, in test/scheduling/).
import Keyv from 'keyv';
import type { Schedule } from '../../../src/domain/schedule.js';
import type { DigestScheduler, ScheduleFiring } from '../../../src/scheduling/types.js';
import type { WorkspaceState } from '../../../src/slack/deps.js';
import { FeedbackStore } from '../../../src/store/feedback-store.js';
import { RecentRunsStore } from '../../../src/store/recent-runs-store.js';
import { ScheduleStore } from '../../../src/store/schedule-store.js';

export interface ManualScheduler extends DigestScheduler {
  active: Map<string, Schedule>;
  /** Fires a schedule now and resolves once its firing is queued (the app's idle() then waits for the digest). */
  fire(scope: string, scheduleId: string, firedAt?: Date): Promise<void>;
}

export function createManualScheduler(): ManualScheduler {
  const active = new Map<string, Schedule>();
  let onFire: ((firing: ScheduleFiring) => Promise<void>) | undefined;
  return {
    kind: 'in-process',
    active,
    async start(fire) {
      onFire = fire;
    },
    async add(schedule) {
      active.set(schedule.id, schedule);
    },
    async remove(schedule) {
      active.delete(schedule.id);
    },
    async stop() {
      onFire = undefined;
    },
    async fire(scope, scheduleId, firedAt = new Date()) {
      if (!onFire) throw new Error('the scheduler was not started');
      await onFire({ scope, scheduleId, firedAt });
    },
  };
}

/** Feedback, schedules and recent runs on one Keyv (in memory unless one is given). */
export function workspaceOn(keyv: Keyv = new Keyv()): WorkspaceState {
  return {
    feedback: new FeedbackStore(keyv),
    schedules: new ScheduleStore(keyv),
    recentRuns: new RecentRunsStore(keyv),
  };
}
