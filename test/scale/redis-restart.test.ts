// Redis restarted in the middle of a run (an operator's restart, with its append-only file, as deploy/ runs it):
// the run either recovers or fails in plain words, and nothing is posted twice. Afterwards requests work again.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { resultTables, startCluster, threadIn, until, type Cluster } from './support/cluster.js';

const canStartRedis = inject('redisServerInstalled');

describe.skipIf(!canStartRedis).each([
  { persistent: true, downMs: 1000, how: 'with its append-only file (data kept)' },
  { persistent: true, downMs: 15_000, how: 'after 15 s down (longer than commands wait for a reconnect)' },
  { persistent: false, downMs: 1000, how: 'without persistence (every key lost: jobs, checkpoints, claims)' },
])('Redis restarted during a run, $how', ({ persistent, downMs }) => {
  let redis: RedisServer;
  let cluster: Cluster;
  beforeAll(async () => {
    redis = await startRedisServer({ persistent });
    cluster = await startCluster({
      redisUrl: redis.url,
      apps: 1,
      workers: 1,
      cost: { baseMs: 300, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 8 },
      searchLatencyMs: 200,
      env: { JOB_STALL_MS: '2000' },
    });
  }, 120_000);

  it('recovers or fails clearly, and posts no message twice', async () => {
    expect((await cluster.command(0, 'find customers', { userId: 'U400', channelId: 'C400' })).status).toBe(200);
    // Restart once research is stored, while companies are being looked up.
    await until(
      async () => (await cluster.harness.services.runs.listUnfinished()).some((r) => r.candidates !== undefined),
      30_000,
      'research stored',
      cluster.output,
    );
    let healthWhileDown: { status: number; body: { redis?: string } } | undefined;
    await redis.restart({
      downMs,
      whileDown: async () => {
        if (downMs < 10_000) return;
        const res = await fetch(`${cluster.apps[0]!.baseUrl}/healthz`);
        healthWhileDown = { status: res.status, body: (await res.json()) as { redis?: string } };
      },
    });
    if (downMs >= 10_000) {
      // While Redis was down, /healthz said so, naming it.
      expect(healthWhileDown?.status).toBe(503);
      expect(healthWhileDown?.body.redis).toMatch(/^Redis at 127\.0\.0\.1:\d+ did not answer/);
    }

    const outcome = () =>
      threadIn(cluster.slack, 'C400').replies.filter(
        (m) => resultTables([m]).length > 0 || m.text.startsWith(':warning:'),
      );
    await until(() => outcome().length > 0, 90_000, 'the run to end one way or the other', cluster.output);
    // Time for a duplicate to show up, had anything been posted twice.
    await new Promise((r) => setTimeout(r, 4000));
    const { parents, replies } = threadIn(cluster.slack, 'C400');
    expect(parents).toHaveLength(1);
    expect(outcome()).toHaveLength(1);
    expect(replies).toHaveLength(2);
    const [ending] = outcome();
    if (ending!.text.startsWith(':warning:')) {
      // A failure says what happened in plain words, never the generic line.
      expect(ending!.text).not.toContain('Something went wrong inside Leads');
      expect(replies[0]!.text).toMatch(/^:x: Failed/);
    } else {
      expect(replies[0]!.text).toMatch(/^:white_check_mark: Finished in/);
    }

    // Once Redis is back, the app takes requests again and reports Redis healthy.
    const health = await fetch(`${cluster.apps[0]!.baseUrl}/healthz`);
    expect(((await health.json()) as { redis: string }).redis).toBe('ok');
    expect((await cluster.command(0, 'find partners', { userId: 'U401', channelId: 'C401' })).status).toBe(200);
    await until(
      () => resultTables(threadIn(cluster.slack, 'C401').replies).length > 0,
      60_000,
      'a run after the restart',
      cluster.output,
    );
  }, 240_000);
});
