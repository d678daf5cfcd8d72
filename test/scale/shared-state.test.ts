// The pieces REDIS_URL mode shares between processes, each exercised from two connections (two processes, as far
// as Redis can tell) against a real redis-server: delivery de-duplication, one run per person, the Slack 429 gate,
// and LLM_CONCURRENCY as one limit for every process calling one model host.
import { webApi } from '@slack/bolt';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { identityOf } from '../../src/domain/feedback.js';
import { createFairLimiter } from '../../src/llm/fair-limiter.js';
import { createOllamaProvider } from '../../src/llm/ollama-provider.js';
import { withSharedSlots } from '../../src/llm/shared-slots.js';
import { createRedisRateGate, gatedFetch } from '../../src/slack/io/rate-limit-gate.js';
import { createRedisActiveRuns } from '../../src/slack/state/active-runs.js';
import { SHARED_STATE_DOWN } from '../../src/slack/state/before-ack.js';
import { createRedisDedupe } from '../../src/slack/state/dedupe.js';
import { createRedisDocumentLock } from '../../src/store/document-lock.js';
import { FeedbackStore } from '../../src/store/feedback-store.js';
import { createKeyv } from '../../src/store/keyv-factory.js';
import { connectRedis, type RedisClient } from '../../src/store/redis.js';
import { startFakeOllama, type FakeOllama } from '../fakes/fake-ollama.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { clientFor, requestFor } from '../llm/helpers.js';
import { createScriptedOrchestrator } from '../slack/support/scripted-orchestrator.js';
import { startSlackTestApp, TEST_SECRETS } from '../slack/support/slack-test-app.js';
import { dropRedisPrefix, startRedisServer } from '../support/redis-server.js';
import { afterTest } from '../support/teardown.js';
import { uniqueRedisPrefix } from '../support/test-mode.js';

const redisUrl = inject('redisUrl');

describe.skipIf(!redisUrl)('state shared through Redis', () => {
  let one: RedisClient;
  let two: RedisClient;
  let prefix: string;
  beforeAll(() => {
    one = connectRedis(redisUrl, { name: 'test-one' });
    two = connectRedis(redisUrl, { name: 'test-two' });
    afterTest({ close: () => Promise.all([one.quit(), two.quit()]) });
  });
  /** A key prefix of the test's own, whose keys are dropped after the test. */
  const fresh = () => {
    prefix = uniqueRedisPrefix();
    const mine = prefix;
    afterTest({ close: () => dropRedisPrefix(redisUrl, mine) });
    return mine;
  };

  it('lets one process see a delivery first, and nobody after it until it is forgotten', async () => {
    fresh();
    const a = createRedisDedupe(one, prefix);
    const b = createRedisDedupe(two, prefix);
    const firsts = await Promise.all([a.firstDelivery('command:T1:trig.1'), b.firstDelivery('command:T1:trig.1')]);
    expect(firsts.sort()).toEqual([false, true]);
    expect(await a.firstDelivery('command:T1:trig.1')).toBe(false);
    await b.forget('command:T1:trig.1');
    expect(await a.firstDelivery('command:T1:trig.1')).toBe(true);
  });

  it('keeps one run per person across processes; only the claiming run updates or ends its claim; a claim expires', async () => {
    fresh();
    const a = createRedisActiveRuns(one, prefix, 400);
    const b = createRedisActiveRuns(two, prefix, 400);
    const run = { runId: 'run_a', teamId: 'T1', userId: 'U1', channelId: 'C1' };
    const [first, second] = await Promise.all([a.claim(run), b.claim({ ...run, runId: 'run_b' })]);
    expect([first.ok, second.ok].filter(Boolean)).toHaveLength(1);
    const winner = first.ok ? run : { ...run, runId: 'run_b' };
    const loser = first.ok ? b : a;
    await (first.ok ? a : b).update({
      ...winner,
      threadTs: '1700000000.000001',
      permalink: 'https://fake.slack.com/archives/C1/p1',
    });
    expect(await loser.runningFor('T1', 'U1')).toMatchObject({
      runId: winner.runId,
      permalink: 'https://fake.slack.com/archives/C1/p1',
    });
    // Another run's release, update or keep-alive changes nothing.
    await loser.release({ ...run, runId: 'run_other' });
    await loser.update({ ...run, runId: 'run_other', threadTs: '1' });
    expect((await b.runningFor('T1', 'U1'))?.runId).toBe(winner.runId);
    await a.keepAlive(winner);
    await new Promise((r) => setTimeout(r, 250));
    await b.keepAlive(winner);
    await new Promise((r) => setTimeout(r, 250));
    expect(await a.runningFor('T1', 'U1')).toBeDefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(await a.runningFor('T1', 'U1')).toBeUndefined();
    expect((await b.claim({ ...run, runId: 'run_c' })).ok).toBe(true);
    await a.release({ ...run, runId: 'run_c' });
    expect(await b.runningFor('T1', 'U1')).toBeUndefined();
  });

  it('keeps every mark when two processes mark leads of one workspace at the same moment (a lock per document)', async () => {
    fresh();
    // Two processes: each its own Redis connections, its own Keyv and store, one workspace document between them.
    const storeOn = (redis: RedisClient) => {
      const keyv = createKeyv(redisUrl, { namespace: prefix });
      afterTest({ close: () => keyv.disconnect() });
      return new FeedbackStore(keyv, { lock: createRedisDocumentLock(redis, prefix) });
    };
    const [a, b] = [storeOn(one), storeOn(two)];
    const mark = (name: string) => ({
      scope: 'T1',
      kind: 'good_fit' as const,
      company: identityOf({ name, website: `https://${name.toLowerCase()}.com` }),
      facts: '',
      runId: 'run_1',
      channelId: 'C1',
      userId: 'U1',
    });
    await Promise.all(Array.from({ length: 15 }, (_, i) => [a.add(mark(`Alpha${i}`)), b.add(mark(`Beta${i}`))]).flat());
    const names = (await a.list('T1')).map((entry) => entry.company.name).sort();
    expect(names).toHaveLength(30);
    expect(new Set(names).size).toBe(30);
  });

  describe('Slack rate limits', () => {
    let fake: FakeSlack;
    beforeAll(async () => {
      fake = await startFakeSlack();
    });

    it('holds back a method in every process while one of them waits out a 429, and only that method', async () => {
      fresh();
      const clientOf = (redis: RedisClient) =>
        new webApi.WebClient(TEST_SECRETS.botToken, {
          slackApiUrl: fake.apiUrl,
          fetch: gatedFetch(createRedisRateGate(redis, prefix)),
          retryConfig: { retries: 2, minTimeout: 10 },
        });
      const workerA = clientOf(one);
      const workerB = clientOf(two);
      const { ts } = await workerA.chat.postMessage({ channel: 'C9', text: 'progress' });
      fake.rateLimit('chat.update', 1);
      const aUpdate = workerA.chat.update({ channel: 'C9', ts: ts!, text: 'from A' });
      await fake.waitFor(() => fake.callsTo('chat.update').length === 1, 5000, 'the 429');
      const limitedAt = fake.callsTo('chat.update')[0]!.at;
      // Worker B has seen no 429 itself; it must still wait for chat.update, but not for chat.postMessage.
      await workerB.chat.postMessage({ channel: 'C9', text: 'other method' });
      await workerB.chat.update({ channel: 'C9', ts: ts!, text: 'from B' });
      await aUpdate;
      const fromB = fake.callsTo('chat.update').find((c) => c.args.text === 'from B')!;
      const otherMethod = fake.callsTo('chat.postMessage').find((c) => c.args.text === 'other method')!;
      expect(fromB.at - limitedAt).toBeGreaterThanOrEqual(900);
      expect(otherMethod.at - limitedAt).toBeLessThan(900);
    });
  });

  describe('LLM_CONCURRENCY across processes', () => {
    let ollama: FakeOllama;
    const clientOn = (redis: RedisClient, limit: number) => {
      const provider = createOllamaProvider({ host: ollama.url, model: 'llama3.1:8b' });
      const limiter = withSharedSlots(createFairLimiter(limit), redis, {
        key: `${prefix}:llm-slots:test`,
        limit,
        logger: { warn: () => undefined },
      });
      return clientFor(provider, { limiter, promptLog: { write: () => undefined } as never });
    };

    it('never lets two processes together send more than the limit to one model host', async () => {
      fresh();
      // The fake would serve 10 at once; each process alone would send 2.
      ollama = await startFakeOllama({
        respond: () => ({ name: 'x', website: null, rooftops: 1 }),
        cost: { baseMs: 40, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 10 },
      });
      const a = clientOn(one, 2);
      const b = clientOn(two, 2);
      await Promise.all([
        ...Array.from({ length: 8 }, (_, i) => a.generateObject(requestFor({ runId: 'run-a', prompt: `a${i}` }))),
        ...Array.from({ length: 8 }, (_, i) => b.generateObject(requestFor({ runId: 'run-b', prompt: `b${i}` }))),
      ]);
      expect(ollama.calls).toHaveLength(16);
      expect(ollama.maxOpen).toBe(2);
    });

    it('stays fair between runs in a process: a small run is served while a big one is still queued', async () => {
      fresh();
      ollama = await startFakeOllama({
        respond: () => ({ name: 'x', website: null, rooftops: 1 }),
        cost: { baseMs: 40, perPromptTokenMs: 0, perOutputTokenMs: 0, slots: 10 },
      });
      const client = clientOn(one, 2);
      const finished: string[] = [];
      const big = Array.from({ length: 10 }, (_, i) =>
        client.generateObject(requestFor({ runId: 'run-big', prompt: `big${i}` })).then(() => finished.push(`big${i}`)),
      );
      await new Promise((r) => setTimeout(r, 10));
      const small = client
        .generateObject(requestFor({ runId: 'run-small', prompt: 'small' }))
        .then(() => finished.push('small'));
      await Promise.all([...big, small]);
      expect(finished.indexOf('small')).toBeLessThan(4);
      expect(ollama.maxOpen).toBe(2);
    });
  });
});

describe.skipIf(!inject('redisServerInstalled'))('an app whose Redis is down', () => {
  it('still acks /leads within Slack’s 3 s, telling the user it could not start rather than leaving them waiting', async () => {
    const redis = await startRedisServer();
    const t = await startSlackTestApp(createScriptedOrchestrator(), {
      env: { REDIS_URL: redis.url, REDIS_PREFIX: uniqueRedisPrefix() },
    });
    await redis.stop();
    const ack = await t.command('find customers');
    expect(ack.status).toBe(200);
    expect(ack.elapsedMs).toBeLessThan(3000);
    expect(ack.json).toMatchObject({ response_type: 'ephemeral', text: SHARED_STATE_DOWN });
    await t.slack.idle(2000);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
