// A worker killed while it posts a run's result (waiting out Slack's 429 on that very post) must not take the
// result with it: the next worker posts it, once. (Found by the soak: the claim to post used to outlive the worker.)
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { resultIn } from '../slack/support/thread-shape.js';
import { resultTables, startCluster, threadIn, until, type Cluster } from './support/cluster.js';

const redisUrl = inject('redisUrl');

describe.skipIf(!redisUrl)('a result whose poster dies', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({
      redisUrl,
      apps: 1,
      workers: 2,
      cost: { baseMs: 20, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 4 },
      env: { JOB_STALL_MS: '2000' },
    });
  }, 120_000);

  it('is posted once by the next worker when the first is SIGKILLed in the middle of posting it', async () => {
    const channel = 'C700';
    // Every result post is answered 429 with a long Retry-After, so the worker holding the job sits in that post.
    const results = () =>
      cluster.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
    expect((await cluster.command(0, 'find customers', { userId: 'U700', channelId: channel })).status).toBe(200);
    await until(
      () => threadIn(cluster.slack, channel).replies.length > 0,
      60_000,
      'the progress message',
      cluster.output,
    );
    cluster.slack.rateLimit('chat.postMessage', 30);
    await until(
      () => results().some((c) => JSON.stringify(c.args.attachments ?? '').includes('"table"')),
      60_000,
      'the result post',
      cluster.output,
    );
    const poster = cluster.workers.find((w) => /"msg":"run finished"/.test(w.output()))!;
    await poster.kill('SIGKILL');

    await until(
      () => resultTables(threadIn(cluster.slack, channel).replies).length > 0,
      60_000,
      'the result',
      cluster.output,
    );
    // Long enough for a second result to show, had the claim let two workers post.
    await new Promise((r) => setTimeout(r, 3000));
    const { parents, replies } = threadIn(cluster.slack, channel);
    expect(parents).toHaveLength(1);
    expect(resultTables(replies)).toHaveLength(1);
    expect(resultIn(replies)?.table.rows.length).toBeGreaterThan(1);
  }, 90_000);
});
