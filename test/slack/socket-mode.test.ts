import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createScrubber } from '../../src/secrets.js';
import { createServices } from '../../src/services.js';
import { createSlackApp } from '../../src/slack/app.js';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { startFakeSocketMode } from '../fakes/fake-socket-mode.js';
import { createScriptedOrchestrator, type ScriptedOrchestrator } from './support/scripted-orchestrator.js';
import { TEST_SECRETS } from './support/slack-test-app.js';
import { afterTest } from '../support/teardown.js';
import { tempDir } from '../support/temp-dir.js';
import { resultIn, threadOf } from './support/thread-shape.js';

async function startSocketApp(orchestrator: ScriptedOrchestrator) {
  const fake = await startFakeSlack();
  const socket = await startFakeSocketMode();
  fake.setSocketUrl(socket.url);
  const config = loadConfig({
    SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
    SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
    SLACK_APP_TOKEN: TEST_SECRETS.appToken,
    SLACK_API_URL: fake.apiUrl,
    DATA_DIR: tempDir('leads-socket-'),
    CACHE_URL: 'memory://',
  });
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const logger = createLogger({ level: 'warn', scrub: createScrubber(Object.values(TEST_SECRETS)), destination: sink });
  const services = createServices(config, { logger });
  const slack = createSlackApp(services, {
    orchestrator,
    progressIntervalMs: 20,
    retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 50 },
  });
  expect(slack.mode).toBe('socket');
  afterTest({
    close: async () => {
      await slack.stop({ drainMs: 2000 });
      await services.close();
    },
  });
  await slack.start();
  await socket.connected();
  return { fake, socket, slack };
}

function commandPayload(text: string, triggerId: string) {
  return {
    token: 'legacy',
    team_id: 'T0001',
    team_domain: 'fake',
    channel_id: 'C0001',
    channel_name: 'sales',
    user_id: 'U0001',
    user_name: 'ana',
    command: '/leads',
    text,
    api_app_id: 'A0001',
    response_url: 'https://hooks.invalid/response',
    trigger_id: triggerId,
  };
}

describe('Socket Mode', () => {
  it('connects through apps.connections.open, acks a slash_commands envelope, then runs in a thread', async () => {
    const orchestrator = createScriptedOrchestrator();
    const release = orchestrator.hold();
    const { fake, socket, slack } = await startSocketApp(orchestrator);
    const open = fake.callsTo('apps.connections.open')[0]!;
    expect(open.token).toBe(TEST_SECRETS.appToken);
    const { envelopeId, sentAt } = socket.send('slash_commands', commandPayload('find customers', 'trig.sock.1'));
    const ack = await socket.waitForAck(envelopeId);
    expect(ack.receivedAt - sentAt).toBeLessThan(3000);
    await fake.waitFor(() => orchestrator.runs.length === 1);
    expect(resultIn(fake.messages)).toBeUndefined();
    release();
    await slack.idle();
    const { parent, replies } = threadOf(fake);
    expect(parent!.text).toContain('Finding customers for AxleWave');
    expect(replies).toHaveLength(2);
    expect(resultIn(replies)!.table.rows).toHaveLength(11);
  });

  it('answers /leads help in the envelope ack itself', async () => {
    const orchestrator = createScriptedOrchestrator();
    const { socket } = await startSocketApp(orchestrator);
    const { envelopeId } = socket.send('slash_commands', commandPayload('help', 'trig.sock.help'));
    const ack = await socket.waitForAck(envelopeId);
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });
    expect(orchestrator.runs).toHaveLength(0);
  });

  it('starts one run when an envelope is redelivered with retry_attempt', async () => {
    const orchestrator = createScriptedOrchestrator();
    const { fake, socket, slack } = await startSocketApp(orchestrator);
    const first = socket.send('slash_commands', commandPayload('find customers', 'trig.sock.dup'));
    const again = socket.send('slash_commands', commandPayload('find customers', 'trig.sock.dup'), {
      retry_attempt: 1,
      retry_reason: 'timeout',
    });
    const event = {
      type: 'event_callback',
      team_id: 'T0001',
      api_app_id: 'A0001',
      event_id: 'EvSock',
      event_time: 1,
      event: {
        type: 'app_mention',
        user: 'U0002',
        text: '<@UBOT> find partners',
        ts: '1700000500.000001',
        channel: 'C0001',
        event_ts: '1700000500.000001',
      },
    };
    const e1 = socket.send('events_api', event);
    const e2 = socket.send('events_api', event, { retry_attempt: 1, retry_reason: 'timeout' });
    for (const id of [first.envelopeId, again.envelopeId, e1.envelopeId, e2.envelopeId]) await socket.waitForAck(id);
    await fake.waitFor(() => orchestrator.runs.length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    await slack.idle();
    expect(orchestrator.runs.map((r) => r.text).sort()).toEqual([
      'find potential customers',
      'find potential partners',
    ]);
  });
});

describe('Socket Mode: the sales loop', () => {
  it('takes a lead mark from an interactive envelope and publishes App Home from an events_api envelope', async () => {
    const orchestrator = createScriptedOrchestrator();
    const { fake, socket, slack } = await startSocketApp(orchestrator);
    await socket.waitForAck(
      socket.send('slash_commands', commandPayload('find customers', 'trig.sock.loop')).envelopeId,
    );
    await fake.waitFor(() => resultIn(fake.messages) !== undefined);
    await slack.idle();
    const result = resultIn(fake.messages)!;
    const section = (
      result.message.attachments as {
        blocks: { block_id?: string; accessory?: { type: string; options: { value: string }[] } }[];
      }[]
    )[0]!.blocks.find((b) => b.accessory?.type === 'overflow')!;
    const choice = section.accessory!.options[0]!.value;
    const interactive = {
      type: 'block_actions',
      team: { id: 'T0001', domain: 'fake' },
      user: { id: 'U0001', username: 'ana', team_id: 'T0001' },
      api_app_id: 'A0001',
      token: 'legacy',
      container: { type: 'message_attachment', message_ts: result.message.ts, channel_id: 'C0001' },
      trigger_id: 'trig.sock.menu',
      channel: { id: 'C0001', name: 'sales' },
      response_url: 'https://hooks.invalid/response',
      actions: [
        {
          type: 'overflow',
          action_id: 'leads_feedback',
          block_id: section.block_id,
          selected_option: { text: { type: 'plain_text', text: 'Good fit' }, value: choice },
          action_ts: '1',
        },
      ],
    };
    await socket.waitForAck(socket.send('interactive', interactive).envelopeId);
    await fake.waitFor(() =>
      fake
        .callsTo('chat.postEphemeral')
        .some((c) => String(c.args.text).startsWith('Marked *Harbor Motor Group 1* as *Good fit*')),
    );

    const opened = {
      type: 'event_callback',
      team_id: 'T0001',
      api_app_id: 'A0001',
      event_id: 'EvHomeSock',
      event_time: 1,
      event: { type: 'app_home_opened', user: 'U0001', channel: 'D0001', tab: 'home', event_ts: '1700000600.000001' },
    };
    await socket.waitForAck(socket.send('events_api', opened).envelopeId);
    await fake.waitFor(() => fake.homes.has('U0001'));
    expect(JSON.stringify(fake.homes.get('U0001')!.blocks)).toContain('*Harbor Motor Group 1*: Good fit, by <@U0001>');
  });
});
