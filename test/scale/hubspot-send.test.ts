// Send to HubSpot pressed on two app instances at once (each its own process, on one Redis), while HubSpot's search
// index lags a minute and the first create's answer is lost: one company per lead, one note per company, and each
// thread line says what HubSpot holds.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeHubspot, type FakeHubspot } from '../fakes/fake-hubspot.js';
import { resultIn } from '../slack/support/thread-shape.js';
import { startCluster, resultTables, threadIn, until, type Cluster } from './support/cluster.js';

const redisUrl = inject('redisUrl');

describe.skipIf(!redisUrl)('Send to HubSpot on two app instances', () => {
  let cluster: Cluster;
  let hubspot: FakeHubspot;
  beforeAll(async () => {
    hubspot = await startFakeHubspot({ indexLagMs: 60_000 });
    cluster = await startCluster({
      redisUrl,
      apps: 2,
      workers: 1,
      cost: { baseMs: 20, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 4 },
      env: { HUBSPOT_TOKEN: hubspot.token, HUBSPOT_API_URL: hubspot.url },
    });
  }, 120_000);

  it('creates each company once and notes it once when both instances get a press at the same moment', async () => {
    expect((await cluster.command(0, 'find customers', { userId: 'U400', channelId: 'C400' })).status).toBe(200);
    const result = await until(
      () => resultTables(threadIn(cluster.slack, 'C400').replies)[0],
      60_000,
      'the result',
      cluster.output,
    );
    const send = resultIn([result])!.buttons.find((b) => b.action_id === 'leads_send_hubspot')!;
    const leads = resultIn([result])!.table.rows.length - 1;
    hubspot.failAfterWrite('502', { what: 'companies' });
    const presses = await Promise.all([
      cluster.button(0, 'leads_send_hubspot', send.value, { userId: 'U400', channelId: 'C400' }),
      cluster.button(1, 'leads_send_hubspot', send.value, { userId: 'U401', channelId: 'C400' }),
    ]);
    expect(presses.map((p) => p.status)).toEqual([200, 200]);
    const summaries = () =>
      threadIn(cluster.slack, 'C400').replies.filter((m) => / sent \d+ leads? to HubSpot/.test(m.text));
    await until(() => summaries().length === 2, 60_000, 'both summaries', cluster.output);

    expect(hubspot.companies).toHaveLength(leads);
    expect(new Set(hubspot.companies.map((c) => c.properties.domain)).size).toBe(leads);
    expect(hubspot.notes).toHaveLength(leads);
    // One press created and noted them (its answer lost and looked up); the other found them there.
    const texts = summaries()
      .map((m) => m.text)
      .sort();
    expect(texts.some((t) => t.includes(`${leads} new companies`) && t.includes('Each has a note'))).toBe(true);
    expect(texts.some((t) => t.includes(`${leads} existing ones updated`) && t.includes('already there'))).toBe(true);
  });
});
