// Several app instances and workers, each its own process started as `npm start` / `npm run worker` would, on one
// Redis, with the real pipeline behind them and loopback fakes of Slack, Ollama and Tavily in the test process.
import { startFakeSlack, type FakeMessage, type FakeSlack } from '../../fakes/fake-slack.js';
import type { FakeCostModel } from '../../fakes/fake-ollama.js';
import { startPipelineHarness, type PipelineHarness } from '../../support/pipeline-harness.js';
import { uniqueRedisPrefix } from '../../support/test-mode.js';
import {
  startAppProcess,
  startWorkerProcess,
  type AppProcess,
  type LeadsProcess,
} from '../../slack/support/app-process.js';
import {
  buttonBody,
  mentionEventBody,
  sendSigned,
  slashCommandBody,
  type SendResult,
  type Who,
} from '../../slack/support/signed-requests.js';
import { TEST_SECRETS } from '../../slack/support/slack-test-app.js';
import { resultIn } from '../../slack/support/thread-shape.js';

const FORM = 'application/x-www-form-urlencoded';

export interface ClusterOptions {
  redisUrl: string;
  apps: number;
  workers: number;
  cost?: FakeCostModel;
  searchLatencyMs?: number;
  /** Environment for every process (LLM_CONCURRENCY, JOB_STALL_MS, SHUTDOWN_GRACE_MS…). */
  env?: Record<string, string>;
}

export interface Cluster {
  harness: PipelineHarness;
  slack: FakeSlack;
  apps: AppProcess[];
  workers: LeadsProcess[];
  /** The environment every process got (for starting another one). */
  env: Record<string, string>;
  command(app: number, text: string, who?: Who & { triggerId?: string }): Promise<SendResult>;
  /** The exact same delivery (one body, one signature) sent to several instances at once. */
  commandToAll(text: string, who: Who & { triggerId: string }): Promise<SendResult[]>;
  mentionToAll(text: string, who: Who & { eventId: string; ts?: string; threadTs?: string }): Promise<SendResult[]>;
  button(app: number, actionId: string, value: string, who?: Who): Promise<SendResult>;
  /** Another worker, alive until the cluster's file ends (even when a test adds it). */
  addWorker(env?: Record<string, string>): Promise<LeadsProcess>;
  /** Everything every process wrote, for failure messages. */
  output(): string;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const harness = await startPipelineHarness({
    cost: options.cost,
    searchLatencyMs: options.searchLatencyMs,
    env: { REDIS_URL: options.redisUrl, REDIS_PREFIX: uniqueRedisPrefix(), LLM_CONCURRENCY: '2', ...options.env },
  });
  const slack = await startFakeSlack();
  const env: Record<string, string> = {
    ...harness.env,
    SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
    SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    WORKERS: 'external',
    LOG_LEVEL: 'info',
  };
  const apps: AppProcess[] = [];
  const workers: LeadsProcess[] = [];
  // The test setup's teardown stops the processes, then the fakes and the harness (newest first), and checks that
  // the fake Slack saw no call it does not serve.
  const started = await Promise.all([
    ...Array.from({ length: options.apps }, () => startAppProcess(env, 60_000)),
    ...Array.from({ length: options.workers }, () => startWorkerProcess(env, 60_000)),
  ]);
  apps.push(...(started.slice(0, options.apps) as AppProcess[]));
  workers.push(...started.slice(options.apps));
  const signed = (url: string, body: string, type = FORM) =>
    sendSigned(url, body, type, { secret: TEST_SECRETS.signingSecret });
  return {
    harness,
    slack,
    apps,
    workers,
    env,
    command: (app, text, who = {}) =>
      signed(apps[app]!.eventsUrl, slashCommandBody(text, { ...who, responseUrl: `${slack.url}/response/command` })),
    commandToAll(text, who) {
      const body = slashCommandBody(text, { ...who, responseUrl: `${slack.url}/response/command` });
      return Promise.all(apps.map((app) => signed(app.eventsUrl, body)));
    },
    mentionToAll(text, who) {
      const body = mentionEventBody(text, who);
      return Promise.all(apps.map((app) => signed(app.eventsUrl, body, 'application/json')));
    },
    button: (app, actionId, value, who = {}) =>
      signed(
        apps[app]!.eventsUrl,
        buttonBody(actionId, value, { ...who, responseUrl: `${slack.url}/response/action` }),
      ),
    async addWorker(extra = {}) {
      const worker = await startWorkerProcess({ ...env, ...extra }, 60_000, { untilEndOfFile: true });
      workers.push(worker);
      return worker;
    },
    output: () =>
      [
        ...apps.map((a, i) => `--- app ${i}\n${a.output().slice(-3000)}`),
        ...workers.map((w, i) => `--- worker ${i}\n${w.output().slice(-3000)}`),
      ].join('\n'),
  };
}

/** A channel's thread as the user sees it: the parent, and the replies under it. */
export function threadIn(slack: FakeSlack, channel: string): { parents: FakeMessage[]; replies: FakeMessage[] } {
  const inChannel = slack.messages.filter((m) => m.channel === channel);
  const parents = inChannel.filter((m) => !m.thread_ts);
  const replies = inChannel.filter((m) => m.thread_ts !== undefined);
  return { parents, replies };
}

/** The result messages (with a table) among messages. */
export function resultTables(messages: FakeMessage[]): FakeMessage[] {
  return messages.filter((m) => resultIn([m])?.table);
}

/** Polls until `probe` holds, or fails naming what it waited for and what the processes said. */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
  diagnose: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${diagnose().slice(-6000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
