// Starts the real Slack app in HTTP mode on a free port, pointed at the fake Slack Web API: built from real services
// (as `npm start` builds it) with a given orchestrator (scripted, or the real one from
// test/support/pipeline-harness.ts) and any other production part a test overrides.
import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import type { Orchestrator } from '../../../src/domain/types.js';
import { createScrubber } from '../../../src/secrets.js';
import { createServices } from '../../../src/services.js';
import { createSlackApp, type SlackApp, type SlackAppOverrides } from '../../../src/slack/app.js';
import { redisReady } from '../../../src/store/redis.js';
import { dropRedisPrefix } from '../../support/redis-server.js';
import { tempDir } from '../../support/temp-dir.js';
import { modeEnv } from '../../support/test-mode.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/fake-slack.js';
import { afterTest, once } from '../../support/teardown.js';
import {
  appHomeOpenedBody,
  buttonBody,
  homeButtonBody,
  mentionEventBody,
  overflowBody,
  sendSigned,
  slashCommandBody,
  viewSubmissionBody,
  viewValuesBody,
  type SendOptions,
  type SendResult,
  type Who,
} from './signed-requests.js';

export const TEST_SECRETS = {
  botToken: 'xoxb-test-bot-token-0123456789',
  signingSecret: 'test-signing-secret-abcdef0123456789',
  appToken: 'xapp-test-app-token-0123456789',
};

export interface SlackTestApp {
  fake: FakeSlack;
  slack: SlackApp;
  eventsUrl: string;
  baseUrl: string;
  logs(): string;
  command(text: string, who?: Who & { triggerId?: string }, options?: Partial<SendOptions>): Promise<SendResult>;
  mention(
    text: string,
    who?: Who & { eventId?: string; ts?: string; threadTs?: string; botId?: string },
    options?: Partial<SendOptions>,
  ): Promise<SendResult>;
  button(actionId: string, value: string, who?: Who, options?: Partial<SendOptions>): Promise<SendResult>;
  submitView(callbackId: string, metadata: string, note: string, who?: Who & { viewId?: string }): Promise<SendResult>;
  /** Picks `value` in the "…" menu of block `blockId` of a message. */
  menu(
    actionId: string,
    blockId: string,
    value: string,
    who?: Who,
    options?: Partial<SendOptions>,
  ): Promise<SendResult>;
  /** Clicks a button on the Home tab. */
  homeButton(actionId: string, value: string, who?: Who): Promise<SendResult>;
  openHome(who?: Who & { tab?: 'home' | 'messages' }, options?: Partial<SendOptions>): Promise<SendResult>;
  submitValues(
    callbackId: string,
    metadata: string,
    values: Record<string, Record<string, string>>,
    who?: Who,
  ): Promise<SendResult>;
  close(): Promise<void>;
}

export async function startSlackTestApp(
  orchestrator: Orchestrator,
  options: {
    progressIntervalMs?: number;
    env?: Record<string, string>;
    deps?: SlackAppOverrides;
    logLevel?: string;
  } = {},
): Promise<SlackTestApp> {
  const fake = await startFakeSlack();
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
    SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'debug',
    DATA_DIR: tempDir('leads-slack-app-'),
    // TEST_MODE=redis: the same app on Redis (shared state and the `leads-runs` queue, with an inline worker).
    ...(await modeEnv()),
    ...options.env,
  };
  // Without Redis, the services' stores live in memory: nothing outlives the test.
  const config = loadConfig(env.REDIS_URL ? env : { CACHE_URL: 'memory://', ...env });
  let logText = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logText += String(chunk);
      done();
    },
  });
  const scrub = createScrubber(Object.values(TEST_SECRETS));
  const logger = createLogger({ level: options.logLevel ?? 'debug', scrub, destination: sink });
  const services = createServices(config, { logger });
  if (services.redis) await redisReady(services.redis);
  const slack = createSlackApp(services, {
    progressIntervalMs: options.progressIntervalMs ?? 50,
    retryConfig: { retries: 3, minTimeout: 20, maxTimeout: 100 },
    ...options.deps,
    orchestrator,
  });
  const { port } = await slack.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  const eventsUrl = `${baseUrl}/slack/events`;
  const send = (body: string, type: string, extra: Partial<SendOptions> = {}) =>
    sendSigned(eventsUrl, body, type, { secret: TEST_SECRETS.signingSecret, ...extra });
  const form = 'application/x-www-form-urlencoded';
  const app: SlackTestApp = {
    fake,
    slack,
    eventsUrl,
    baseUrl,
    logs: () => logText,
    command: (text, who = {}, extra) =>
      send(slashCommandBody(text, { ...who, responseUrl: `${fake.url}/response/command` }), form, extra),
    mention: (text, who = {}, extra) => send(mentionEventBody(text, who), 'application/json', extra),
    button: (actionId, value, who = {}, extra) =>
      send(buttonBody(actionId, value, { ...who, responseUrl: `${fake.url}/response/action` }), form, extra),
    submitView: (callbackId, metadata, note, who = {}) =>
      send(viewSubmissionBody(callbackId, metadata, note, who), form),
    menu: (actionId, blockId, value, who = {}, extra) =>
      send(overflowBody(actionId, blockId, value, { ...who, responseUrl: `${fake.url}/response/action` }), form, extra),
    homeButton: (actionId, value, who = {}) => send(homeButtonBody(actionId, value, who), form),
    openHome: (who = {}, extra) => send(appHomeOpenedBody(who), 'application/json', extra),
    submitValues: (callbackId, metadata, values, who = {}) =>
      send(viewValuesBody(callbackId, metadata, values, who), form),
    close: once(async () => {
      await slack.stop({ drainMs: 5000 });
      await services.close();
      if (config.redis) await dropRedisPrefix(config.redis.url, config.redis.prefix);
      await fake.close();
    }),
  };
  afterTest({ close: app.close });
  return app;
}
