import { join } from 'node:path';
import type Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { identityOf } from '../../src/domain/feedback.js';
import type { Schedule } from '../../src/domain/schedule.js';
import { FeedbackStore } from '../../src/store/feedback-store.js';
import { createKeyv } from '../../src/store/keyv-factory.js';
import { ScheduleStore } from '../../src/store/schedule-store.js';
import { scopedKey } from '../../src/store/shared-document.js';
import { afterTest } from '../support/teardown.js';
import { tempDir } from '../support/temp-dir.js';

/** Two Keyv handles on one SQLite file: two app instances sharing one store. */
function sharedSqlite(): [Keyv, Keyv] {
  const url = `sqlite://${join(tempDir('leads-store-'), 'state.sqlite')}`;
  const pair: [Keyv, Keyv] = [createKeyv(url), createKeyv(url)];
  afterTest({ close: () => Promise.all(pair.map((k) => k.disconnect())) });
  return pair;
}

function feedback(scope: string, name: string) {
  return {
    scope,
    kind: 'good_fit' as const,
    company: identityOf({ name, website: `https://${name.toLowerCase()}.com` }),
    facts: '',
    runId: 'run_1',
    channelId: 'C1',
    userId: 'U1',
  };
}

function schedule(scope: string, id: string): Schedule {
  return {
    id,
    scope,
    channelId: 'C1',
    createdBy: 'U1',
    createdAt: '2026-01-01T00:00:00Z',
    cadence: 'weekly',
    cron: '0 6 * * 1',
    timezone: 'UTC',
    request: 'find potential customers',
  };
}

describe('feedback and schedule stores', () => {
  it('keep every mark and schedule when many people write at the same moment', async () => {
    const [keyv, reader] = sharedSqlite();
    const store = new FeedbackStore(keyv);
    const schedules = new ScheduleStore(keyv);
    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => store.add(feedback('T1', `Company${i}`))),
      ...Array.from({ length: 10 }, (_, i) => schedules.add(schedule('T1', `sch_${i}`))),
    ]);
    // Read back through another connection to the same file: everything reached the store.
    expect(await new FeedbackStore(reader).list('T1')).toHaveLength(30);
    expect(await new ScheduleStore(reader).list('T1')).toHaveLength(10);
  });

  it('keep workspaces apart: another workspace’s id finds nothing and removes nothing', async () => {
    const [keyv] = sharedSqlite();
    const store = new FeedbackStore(keyv);
    const entry = await store.add(feedback('T1', 'Harbor'));
    expect(await store.get('T2', entry.id)).toBeUndefined();
    expect(await store.remove('T2', entry.id)).toBeUndefined();
    expect(await store.list('T1')).toHaveLength(1);
    const schedules = new ScheduleStore(keyv);
    await schedules.add(schedule('T1', 'sch_1'));
    expect(await schedules.remove('T2', 'sch_1')).toBeUndefined();
    expect(await schedules.listAll()).toHaveLength(1);
  });

  it('start a document afresh when what is stored does not match its schema', async () => {
    const [keyv] = sharedSqlite();
    await keyv.set(scopedKey('T1', 'feedback'), { entries: [{ id: 1, kind: 'great' }] });
    const store = new FeedbackStore(keyv);
    expect(await store.list('T1')).toEqual([]);
    await store.add(feedback('T1', 'Harbor'));
    expect(await store.list('T1')).toHaveLength(1);
  });

  it('answer a request from its latest scheduled result whatever its case, spacing or final full stop', async () => {
    const [keyv] = sharedSqlite();
    const store = new ScheduleStore(keyv);
    await store.setLatest('T1', {
      runId: 'run_9',
      scheduleId: 'sch_1',
      channelId: 'C1',
      request: 'find potential customers',
      finishedAt: '2026-01-05T06:00:00Z',
    });
    expect((await store.getLatest('T1', '  Find   potential customers. '))?.runId).toBe('run_9');
    expect(await store.getLatest('T2', 'find potential customers')).toBeUndefined();
    expect(await store.getLatest('T1', 'find potential partners')).toBeUndefined();
  });
});
