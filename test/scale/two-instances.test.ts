// Two app instances and two workers (each its own process) against one real Redis: signed Slack requests go to
// both instances, runs execute on the workers, and every run ends once, in its own thread.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { startCluster, resultTables, threadIn, until, type Cluster } from './support/cluster.js';

const redisUrl = inject('redisUrl');

describe.skipIf(!redisUrl)('two app instances and two workers on one Redis', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    // Every model call costs 40 ms and the fake would serve 16 at once, so only the shared limit can hold it to 2.
    cluster = await startCluster({
      redisUrl,
      apps: 2,
      workers: 2,
      cost: { baseMs: 40, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 16 },
      env: { LLM_CONCURRENCY: '2' },
    });
  }, 120_000);

  it('answers signed /leads on both instances; the workers run each once and post one result in its own thread', async () => {
    const [first, second] = await Promise.all([
      cluster.command(0, 'find customers', { userId: 'U100', channelId: 'C100', triggerId: 'trig.two.1' }),
      cluster.command(1, 'find partners', { userId: 'U101', channelId: 'C101', triggerId: 'trig.two.2' }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    for (const channel of ['C100', 'C101']) {
      await until(
        () => resultTables(threadIn(cluster.slack, channel).replies).length > 0,
        60_000,
        `a result in ${channel}`,
        cluster.output,
      );
      const { parents, replies } = threadIn(cluster.slack, channel);
      expect(parents).toHaveLength(1);
      // One progress message, updated in place to its summary, then one result; nothing else.
      expect(replies).toHaveLength(2);
      expect(replies.every((m) => m.thread_ts === parents[0]!.ts)).toBe(true);
      expect(replies[0]!.text).toMatch(/^:white_check_mark: Finished in/);
      expect(resultTables(replies)).toHaveLength(1);
    }
    // The instances only acked and queued: every run was executed by a worker.
    const ran = (text: string) => (text.match(/"msg":"run started"/g) ?? []).length;
    expect(cluster.apps.map((a) => ran(a.output()))).toEqual([0, 0]);
    expect(cluster.workers.reduce((sum, w) => sum + ran(w.output()), 0)).toBe(2);
  });

  it('starts one run when the same /leads delivery reaches both instances', async () => {
    const acks = await cluster.commandToAll('find customers in Texas', {
      userId: 'U110',
      channelId: 'C110',
      triggerId: 'trig.same.1',
    });
    expect(acks.map((a) => a.status)).toEqual([200, 200]);
    await until(
      () => resultTables(threadIn(cluster.slack, 'C110').replies).length > 0,
      60_000,
      'the result',
      cluster.output,
    );
    // Long enough for a second run, had one been queued, to post its parent.
    await new Promise((r) => setTimeout(r, 1500));
    const { parents, replies } = threadIn(cluster.slack, 'C110');
    expect(parents).toHaveLength(1);
    expect(resultTables(replies)).toHaveLength(1);
  });

  it('starts one run when the same app_mention event reaches both instances', async () => {
    const acks = await cluster.mentionToAll('<@UBOT> find partners in Canada', {
      userId: 'U120',
      channelId: 'C120',
      eventId: 'EvSame1',
      ts: '1700000500.000001',
    });
    expect(acks.map((a) => a.status)).toEqual([200, 200]);
    await until(
      () => resultTables(threadIn(cluster.slack, 'C120').replies).length > 0,
      60_000,
      'the result',
      cluster.output,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const replies = threadIn(cluster.slack, 'C120').replies;
    expect(replies.every((m) => m.thread_ts === '1700000500.000001')).toBe(true);
    expect(resultTables(replies)).toHaveLength(1);
    expect(replies).toHaveLength(2);
  });

  it('finishes 20 users at once across both instances with never more than LLM_CONCURRENCY model calls in flight', async () => {
    const places = ['Texas', 'Ohio', 'Georgia', 'Florida', 'Utah', 'Idaho', 'Iowa', 'Maine', 'Nevada', 'Oregon'];
    const users = Array.from({ length: 20 }, (_, i) => ({
      userId: `U2${String(i).padStart(2, '0')}`,
      channelId: `C2${String(i).padStart(2, '0')}`,
    }));
    const callsBefore = cluster.harness.ollama.calls.length;
    const acks = await Promise.all(
      users.map((who, i) =>
        cluster.command(i % 2, `dealer groups in ${places[i % places.length]} with ${i + 3} or more rooftops`, {
          ...who,
          triggerId: `trig.load.${i}`,
        }),
      ),
    );
    expect(acks.every((a) => a.status === 200)).toBe(true);
    await until(
      () => users.every((who) => resultTables(threadIn(cluster.slack, who.channelId).replies).length === 1),
      120_000,
      '20 results',
      cluster.output,
    );
    for (const who of users) expect(threadIn(cluster.slack, who.channelId).parents).toHaveLength(1);
    // Distinct requests made real model work, spread over both workers…
    expect(cluster.harness.ollama.calls.length - callsBefore).toBeGreaterThan(40);
    // …yet the model host never saw more than LLM_CONCURRENCY calls at once (it would have served 16).
    expect(cluster.harness.ollama.maxOpen).toBeLessThanOrEqual(2);
    expect(cluster.harness.ollama.maxOpen).toBe(2);
  });

  it('reports Redis and the queue on GET /healthz of each instance', async () => {
    const health = async (baseUrl: string) => {
      const res = await fetch(`${baseUrl}/healthz`);
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown> & { queue: Record<string, number> };
    };
    // A worker completes its job just after it posts the result, so the last job may still be active for a moment.
    await until(
      async () => (await health(cluster.apps[0]!.baseUrl)).queue.active === 0,
      10_000,
      'the last job to complete',
      cluster.output,
    );
    for (const app of cluster.apps) {
      const body = await health(app.baseUrl);
      expect(body).toMatchObject({ ok: true, llm: 'ok', store: 'ok', redis: 'ok' });
      expect(body.queue).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    }
  });
});
