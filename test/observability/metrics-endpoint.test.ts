// Where `npm start` serves /metrics: on PORT in HTTP mode, on METRICS_PORT in Socket Mode (or when set), in its
// own process on the real pipeline against the fakes.
import { describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { startFakeSocketMode, type FakeSocketMode } from '../fakes/fake-socket-mode.js';
import { freePort, startAppProcess, type AppProcess } from '../slack/support/app-process.js';
import { TEST_SECRETS } from '../slack/support/slack-test-app.js';
import { resultIn } from '../slack/support/thread-shape.js';
import { startPipelineHarness, type PipelineHarness } from '../support/pipeline-harness.js';
import { parseScrape } from '../support/prometheus-text.js';

let harness: PipelineHarness | undefined;
let fake: FakeSlack | undefined;
let socket: FakeSocketMode | undefined;
let app: AppProcess | undefined;
// The harness, fakes and app process register themselves for teardown after each test (test/setup.ts).

async function appEnv(extra: Record<string, string>) {
  harness = await startPipelineHarness();
  fake = await startFakeSlack();
  return {
    ...harness.env,
    SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
    SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
    SLACK_API_URL: fake.apiUrl,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

describe('npm start serves /metrics', () => {
  it('in Socket Mode on METRICS_PORT, counting a slash command that ran through the pipeline', async () => {
    const metricsPort = await freePort();
    const env = await appEnv({ SLACK_APP_TOKEN: TEST_SECRETS.appToken, METRICS_PORT: String(metricsPort) });
    socket = await startFakeSocketMode();
    fake!.setSocketUrl(socket.url);
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    app = await startAppProcess(env, 30_000, metricsUrl);
    await socket.connected();

    const { envelopeId } = socket.send('slash_commands', {
      team_id: 'T0001',
      channel_id: 'C0001',
      user_id: 'U0001',
      command: '/leads',
      text: 'find customers',
      api_app_id: 'A0001',
      response_url: 'https://hooks.invalid/response',
      trigger_id: 'trig.metrics.1',
    });
    await socket.waitForAck(envelopeId);
    await fake!.waitFor(
      () => fake!.messages.some((m) => m.thread_ts && resultIn([m])?.table),
      60_000,
      'the result table',
    );

    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    const s = parseScrape(await response.text());
    expect(s.total('leads_runs_total', { outcome: 'succeeded', intent: 'customer' })).toBe(1);
    expect(s.total('leads_slack_requests_total', { surface: 'command', outcome: 'accepted' })).toBe(1);
    expect(s.total('leads_slack_ack_duration_seconds_count')).toBe(1);
    expect(s.total('leads_llm_calls_total', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(s.families.get('process_resident_memory_bytes')).toBe('GAUGE');
  }, 90_000);

  it('in HTTP mode on PORT, or only on METRICS_PORT when that is set', async () => {
    app = await startAppProcess(await appEnv({}));
    const onPort = await fetch(`${app.baseUrl}/metrics`);
    expect(onPort.status).toBe(200);
    expect(parseScrape(await onPort.text()).families.has('leads_runs_total')).toBe(true);
    await app.kill('SIGTERM');
    await Promise.all([harness!.close(), fake!.close()]);

    const metricsPort = await freePort();
    app = await startAppProcess(await appEnv({ METRICS_PORT: String(metricsPort) }));
    expect((await fetch(`${app.baseUrl}/metrics`)).status).toBe(404);
    const own = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(own.status).toBe(200);
    expect(parseScrape(await own.text()).families.has('leads_slack_requests_total')).toBe(true);
  }, 90_000);
});
