// 50 people type /leads at once: signed HTTP deliveries to the real app started as `npm start` does (its own
// process), the real pipeline behind it, and loopback fakes of Slack, Tavily and the LLM on the cost model
// (docs/architecture.md#the-cost-model) in this process. Measures ack latency, completed runs and the LLM's in-flight peak.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOllama, type FakeCostModel } from '../test/fakes/fake-ollama.js';
import { startFakeSlack } from '../test/fakes/fake-slack.js';
import { startFakeTavily } from '../test/fakes/fake-tavily.js';
import { sendSigned, slashCommandBody } from '../test/slack/support/signed-requests.js';
import { resultIn } from '../test/slack/support/thread-shape.js';
import { misbehavingModel } from '../test/fakes/misbehaving-model.js';
import { FAKE_WORLD, fakeWebResults } from '../test/support/fake-web.js';

export interface SlackLoadResult {
  commands: number;
  ackP50Ms: number;
  ackP99Ms: number;
  completed: number;
  maxLlmInFlight: number;
  llmConcurrency: number;
  wallMs: number;
}

// A sales floor asks for a mix of things; identical requests share work through the caches and single-flight.
const REQUESTS = ['find customers', 'find partners', 'find customers and partners'];
const SIGNING_SECRET = 'bench-signing-secret-0123456789';
const LLM_CONCURRENCY = 2;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, deadlineMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const failure = exited();
    if (failure) throw new Error(`the Slack app exited before it was ready: ${failure}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the Slack app did not answer ${url} within ${deadlineMs} ms`);
}

export async function runSlackLoad(options: {
  commands: number;
  cost: FakeCostModel;
  searchLatencyMs: number;
}): Promise<SlackLoadResult> {
  const ollama = await startFakeOllama({
    respond: misbehavingModel({ world: FAKE_WORLD }).respond,
    cost: options.cost,
  });
  const tavily = await startFakeTavily({ results: fakeWebResults(), latencyMs: options.searchLatencyMs });
  // The app serves only the bot token's workspace (auth.test), so the fake answers for the bench's team.
  const slack = await startFakeSlack({ teamId: 'TBENCH' });
  const dataDir = mkdtempSync(join(tmpdir(), 'leads-bench-slack-'));
  const port = await freePort();
  let stderr = '';
  let exit: string | undefined;
  const app = spawn(
    process.execPath,
    [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), 'dist/slack/main.js'],
    {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        SLACK_BOT_TOKEN: 'xoxb-bench-token-0123456789',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        OLLAMA_HOST: ollama.url,
        SEARCH_PROVIDERS: 'tavily',
        TAVILY_API_URL: tavily.url,
        TAVILY_API_KEY: 'tvly-bench-key-0123456789',
        DATA_DIR: dataDir,
        LLM_CONCURRENCY: String(LLM_CONCURRENCY),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  app.stderr.on('data', (chunk) => (stderr += String(chunk)));
  app.on('exit', (code) => (exit = `exit code ${code}: ${stderr.slice(-500)}`));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(`${base}/healthz`, 30_000, () => exit);
    const send = (text: string, i: number) =>
      sendSigned(
        `${base}/slack/events`,
        slashCommandBody(text, {
          userId: `U${1000 + i}`,
          channelId: `C${1000 + i}`,
          teamId: 'TBENCH',
          responseUrl: `${slack.url}/response/command`,
        }),
        'application/x-www-form-urlencoded',
        { secret: SIGNING_SECRET },
      );
    // An app that has been up a while has its code paths compiled; three help requests stand in for that.
    for (let i = 0; i < 3; i++) await send('help', 900 + i);

    const started = performance.now();
    const acks = await Promise.all(
      Array.from({ length: options.commands }, (_, i) => send(REQUESTS[i % REQUESTS.length] as string, i)),
    );
    const failedAcks = acks.filter((ack) => ack.status !== 200).length;
    if (failedAcks > 0) throw new Error(`${failedAcks} commands were not acknowledged with 200`);
    const completedRuns = () => slack.messages.filter((m) => m.thread_ts && resultIn([m])?.table).length;
    await slack.waitFor(
      () => completedRuns() >= options.commands || exit !== undefined,
      150_000,
      `${options.commands} result tables`,
    );
    const latencies = acks.map((ack) => ack.elapsedMs).sort((a, b) => a - b);
    if (process.env.BENCH_DEBUG) console.error(acks.map((a) => a.elapsedMs).join(' '));
    return {
      commands: options.commands,
      ackP50Ms: percentile(latencies, 50),
      ackP99Ms: percentile(latencies, 99),
      completed: completedRuns(),
      // Calls the app had open at the model at once (the fake itself never serves more than its slots).
      maxLlmInFlight: ollama.maxOpen,
      llmConcurrency: LLM_CONCURRENCY,
      wallMs: Math.round(performance.now() - started),
    };
  } finally {
    app.kill('SIGTERM');
    await new Promise((r) => (exit ? r(undefined) : app.once('exit', r)));
    await Promise.all([ollama.close(), tavily.close(), slack.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
