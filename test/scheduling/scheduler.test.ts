import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { Schedule } from '../../src/domain/schedule.js';
import { createLogger } from '../../src/logger.js';
import { nextRunOf, readCadence } from '../../src/scheduling/cadence.js';
import { createCronerScheduler } from '../../src/scheduling/croner-scheduler.js';
import type { ScheduleFiring } from '../../src/scheduling/types.js';
import { createKeyv } from '../../src/store/keyv-factory.js';
import { ScheduleStore } from '../../src/store/schedule-store.js';
import { afterTest } from '../support/teardown.js';

describe('reading a cadence', () => {
  it.each([
    ['weekly customers in Texas', 'weekly', '0 6 * * 1', 'customers in Texas'],
    ['Daily partners', 'daily', '0 6 * * *', 'partners'],
    ['"0 9 * * 1-5" find customers', 'cron', '0 9 * * 1-5', 'find customers'],
    ['30 7 * * MON dealer groups in Ohio', 'cron', '30 7 * * MON', 'dealer groups in Ohio'],
  ])('reads %j', (text, cadence, cron, rest) => {
    expect(readCadence(text, 'UTC')).toEqual({ ok: true, cadence, cron, rest });
  });

  it.each([
    ['customers every week', /Say how often/],
    ['"*/5 * * * *" customers', /more than once an hour/],
    ['"0 25 * * *" customers', /not a cron expression I can read/],
    ['"0 9 * *" customers', /Say how often/],
  ])('refuses %j in plain words', (text, problem) => {
    const reading = readCadence(text, 'UTC');
    expect(reading.ok).toBe(false);
    expect(reading.ok ? '' : reading.problem).toMatch(problem);
  });

  it('reads times in the schedule’s time zone', () => {
    const next = nextRunOf({ cron: '0 6 * * 1', timezone: 'America/Chicago' }, new Date('2026-03-04T00:00:00Z'));
    expect(next?.toISOString()).toBe('2026-03-09T11:00:00.000Z');
  });
});

describe('in-process scheduler', () => {
  it('fires stored schedules at their time, stops firing a cancelled one, and never fires one twice at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    afterTest({ close: () => vi.useRealTimers() });
    vi.setSystemTime(new Date('2026-03-09T05:59:58Z'));
    const keyv = createKeyv('memory://');
    const store = new ScheduleStore(keyv);
    const schedule = (id: string, cron: string): Schedule => ({
      id,
      scope: 'T1',
      channelId: 'C1',
      createdBy: 'U1',
      createdAt: '2026-03-01T00:00:00Z',
      cadence: 'cron',
      cron,
      timezone: 'UTC',
      request: 'find potential customers',
    });
    await store.add(schedule('sch_weekly', '0 6 * * 1'));
    await store.add(schedule('sch_minutely', '* * * * *'));
    const logger = createLogger({
      level: 'silent',
      scrub: (t) => t,
      destination: new Writable({ write: (_c, _e, done) => done() }),
    });
    const scheduler = createCronerScheduler({ store, logger });
    afterTest({ close: () => scheduler.stop() });
    const fired: ScheduleFiring[] = [];
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    await scheduler.start(async (firing) => {
      fired.push(firing);
      if (firing.scheduleId === 'sch_minutely') await slow;
    });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(fired.map((f) => f.scheduleId).sort()).toEqual(['sch_minutely', 'sch_weekly']);
    // The minutely one is still "running": its next time is skipped, not run twice.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired.filter((f) => f.scheduleId === 'sch_minutely')).toHaveLength(1);
    release();
    await scheduler.remove({ scope: 'T1', id: 'sch_minutely' });
    // A week later (croner re-checks at least every 30 s, so moving the clock is enough).
    vi.setSystemTime(new Date('2026-03-16T05:59:50Z'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired.map((f) => f.scheduleId).sort()).toEqual(['sch_minutely', 'sch_weekly', 'sch_weekly']);
  });
});
