// Scale-out on Redis: 100 signed /leads across 3 app instances (WORKERS=external) and 2 workers, each its own
// process as `npm start` / `npm run worker` start them, on one redis-server, the real pipeline behind them and
// loopback fakes of Slack, Tavily and the LLM on the cost model (docs/architecture.md) in this process. Then the time a run loses
// when its worker is killed mid-enrichment, against the same run left alone.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config.js';
import type { StoredRun } from '../src/domain/types.js';
import { createServices, type Services } from '../src/services.js';
import { startFakeOllama, type FakeCostModel } from '../test/fakes/fake-ollama.js';
import { startFakeSlack, type FakeSlack } from '../test/fakes/fake-slack.js';
import { startFakeTavily } from '../test/fakes/fake-tavily.js';
import {
  startAppProcess,
  startWorkerProcess,
  type AppProcess,
  type LeadsProcess,
} from '../test/slack/support/app-process.js';
import { sendSigned, slashCommandBody } from '../test/slack/support/signed-requests.js';
import { resultIn } from '../test/slack/support/thread-shape.js';
import { misbehavingModel } from '../test/fakes/misbehaving-model.js';
import { FAKE_WORLD, fakeWebResults } from '../test/support/fake-web.js';
import {
  dropRedisPrefix,
  redisServerInstalled,
  startRedisServer,
  type RedisServer,
} from '../test/support/redis-server.js';

export interface ScaleOutResult {
  commands: number;
  apps: number;
  workers: number;
  ackP50Ms: number;
  ackP99Ms: number;
  /** CPU time the app instances spent per ack (Linux /proc), which does not depend on what else the machine runs. */
  appCpuMsPerAck?: number;
  completed: number;
  /** The machine's 1-minute load average when the burst was sent (other work on it slows every ack). */
  loadAverage: number;
  duplicates: number;
  maxLlmInFlight: number;
  llmConcurrency: number;
  wallMs: number;
  resume: {
    /** The same cold run, left alone: ack to result. */
    baselineMs: number;
    /** Its enrichment stage alone (research stored to enrichment stored). */
    interruptedStageMs: number;
    /** The run whose worker was SIGKILLed mid-enrichment: ack to result. */
    killedMs: number;
    /** From the kill to the other worker resuming the run (the stalled-job check: JOB_STALL_MS). */
    takeOverMs: number;
    /** Time the kill cost, beyond waiting for the take-over: at most the interrupted stage's time. */
    redoneMs: number;
  };
}

const SIGNING_SECRET = 'bench-signing-secret-0123456789';
const REQUESTS = ['find customers', 'find partners', 'find customers and partners'];
const LLM_CONCURRENCY = 2;
const TEAM = 'TBENCH';
const JOB_STALL_MS = 2000;
const HQ_QUERY = / headquarters website$/;

/** CPU time (user + system) a process has used so far, in ms, where /proc tells (Linux). */
function cpuMsOf(pid: number): number | undefined {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return undefined;
  const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const tablesIn = (slack: FakeSlack, channel: string) =>
  slack.messages.filter((m) => m.channel === channel && m.thread_ts && resultIn([m])?.table);
const parentsIn = (slack: FakeSlack, channel: string) =>
  slack.messages.filter((m) => m.channel === channel && !m.thread_ts);

/** True when a Redis for the scenario is at hand (BENCH_REDIS_URL / TEST_REDIS_URL, or the redis-server binary). */
export function scaleOutAvailable(): boolean {
  return Boolean(process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL) || redisServerInstalled();
}

export async function runScaleOut(options: {
  commands: number;
  cost: FakeCostModel;
  searchLatencyMs: number;
  log: (text: string) => void;
}): Promise<ScaleOutResult> {
  let server: RedisServer | undefined;
  const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? (server = await startRedisServer()).url;
  const ollama = await startFakeOllama({
    respond: misbehavingModel({ world: FAKE_WORLD }).respond,
    cost: options.cost,
  });
  const tavily = await startFakeTavily({ results: fakeWebResults(), latencyMs: options.searchLatencyMs });
  // The app serves only the bot token's workspace, which auth.test names.
  const slack = await startFakeSlack({ teamId: TEAM });
  const dataDir = mkdtempSync(join(tmpdir(), 'leads-bench-scale-'));
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: 'xoxb-bench-token-0123456789',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    OLLAMA_HOST: ollama.url,
    SEARCH_PROVIDERS: 'tavily',
    TAVILY_API_URL: tavily.url,
    TAVILY_API_KEY: 'tvly-bench-key-0123456789',
    DATA_DIR: dataDir,
    LLM_CONCURRENCY: String(LLM_CONCURRENCY),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bench-${process.pid}-${Date.now()}`,
    WORKERS: 'external',
    JOB_STALL_MS: String(JOB_STALL_MS),
    LOG_LEVEL: 'info',
  };
  // This process reads the run store too, to time the stages.
  const services: Services = createServices(loadConfig(env), {
    logDestination: new Writable({ write: (_c, _e, done) => done() }),
  });
  const processes: LeadsProcess[] = [];
  try {
    options.log('  starting 3 app instances and 2 workers…');
    const apps = (await Promise.all(Array.from({ length: 3 }, () => startAppProcess(env, 60_000)))) as AppProcess[];
    const workers = await Promise.all(Array.from({ length: 2 }, () => startWorkerProcess(env, 60_000)));
    processes.push(...apps, ...workers);
    const send = (app: AppProcess, text: string, who: { teamId: string; userId: string; channelId: string }) =>
      sendSigned(
        app.eventsUrl,
        slashCommandBody(text, { ...who, responseUrl: `${slack.url}/response/command` }),
        'application/x-www-form-urlencoded',
        { secret: SIGNING_SECRET },
      );
    // Instances that have been up a while have their code paths compiled; a help request each stands in for that.
    for (const app of apps) await send(app, 'help', { teamId: TEAM, userId: 'U0999', channelId: 'C0999' });

    options.log(`  ${options.commands} signed /leads across the instances…`);
    const appCpu = () =>
      apps
        .map((app) => cpuMsOf(app.pid))
        .reduce<number | undefined>((sum, ms) => (sum === undefined || ms === undefined ? undefined : sum + ms), 0);
    const cpuBefore = appCpu();
    const loadAverage = Number(loadavg()[0]!.toFixed(1));
    const started = performance.now();
    const who = (i: number) => ({ teamId: TEAM, userId: `U${1000 + i}`, channelId: `C${1000 + i}` });
    const acks = await Promise.all(
      Array.from({ length: options.commands }, (_, i) =>
        send(apps[i % apps.length]!, REQUESTS[i % REQUESTS.length]!, who(i)),
      ),
    );
    const cpuAfter = appCpu();
    const failedAcks = acks.filter((ack) => ack.status !== 200).length;
    if (failedAcks > 0) throw new Error(`${failedAcks} commands were not acknowledged with 200`);
    const channels = Array.from({ length: options.commands }, (_, i) => who(i).channelId);
    const completed = () => channels.filter((c) => tablesIn(slack, c).length > 0).length;
    await until(() => completed() >= options.commands, 600_000, `${options.commands} results`);
    const wallMs = Math.round(performance.now() - started);
    // Long enough for a duplicate to surface, had any run been started or finished twice.
    await new Promise((r) => setTimeout(r, 2000));
    const duplicates = channels.reduce(
      (sum, c) => sum + Math.max(0, parentsIn(slack, c).length - 1) + Math.max(0, tablesIn(slack, c).length - 1),
      0,
    );
    const latencies = acks.map((ack) => ack.elapsedMs).sort((a, b) => a - b);

    options.log('  resume after a SIGKILL: the same cold run, left alone and killed mid-enrichment…');
    // Both runs start cold: the workspace's cached searches, answers and company look-ups are dropped first.
    const dropCaches = async () => {
      const redis = services.redis!;
      for (const kind of ['search', 'llm', 'enrichment']) {
        const keys = await redis.keys(`${env.REDIS_PREFIX}::${TEAM}:${kind}:*`);
        if (keys.length > 0) await redis.del(...keys);
      }
    };
    const teamId = TEAM;
    const runStages = async (channelId: string, kill: boolean) => {
      await dropCaches();
      const sent = performance.now();
      await send(apps[0]!, 'find customers', { teamId, userId: 'U0500', channelId });
      const run = await until(
        async () =>
          (await services.runs.listUnfinished()).find(
            (r: StoredRun) => r.origin.kind === 'slack' && r.origin.channelId === channelId,
          ),
        60_000,
        'the run',
      );
      await until(
        async () => (await services.runs.get(teamId, run.runId))?.candidates !== undefined,
        60_000,
        'research stored',
      );
      const researchDoneAt = performance.now();
      let killedAt = 0;
      let killedAtEpoch = 0;
      let survivor: LeadsProcess | undefined;
      if (kill) {
        // A third of the way into enrichment, kill the worker running it.
        const lookups = () => tavily.queries.filter((q) => HQ_QUERY.test(q)).length;
        const before = lookups();
        await until(() => lookups() - before >= 10, 60_000, 'enrichment under way');
        const victim = workers.find((w) => w.output().includes(run.runId))!;
        survivor = workers.find((w) => w !== victim);
        await victim.kill('SIGKILL');
        killedAt = performance.now();
        killedAtEpoch = Date.now();
      }
      await until(
        async () => (await services.runs.get(teamId, run.runId))?.enrichment !== undefined,
        120_000,
        'enrichment stored',
      );
      const enrichmentDoneAt = performance.now();
      await until(() => tablesIn(slack, channelId).length > 0, 120_000, 'the result');
      const doneAt = performance.now();
      let takeOverMs = 0;
      if (survivor) {
        // pino's "time" is the epoch in milliseconds.
        const line = survivor
          .output()
          .split('\n')
          .find((l) => l.includes(run.runId) && l.includes('resuming a run from its last checkpoint'));
        const time = line ? (JSON.parse(line) as { time?: number }).time : undefined;
        if (!time) throw new Error('the surviving worker did not resume the killed run');
        takeOverMs = time - killedAtEpoch;
      }
      return { totalMs: doneAt - sent, enrichmentMs: enrichmentDoneAt - researchDoneAt, takeOverMs, killedAt };
    };
    const baseline = await runStages('C0501', false);
    const killed = await runStages('C0502', true);
    const takeOverMs = Math.round(killed.takeOverMs);
    return {
      commands: options.commands,
      apps: apps.length,
      workers: workers.length,
      ackP50Ms: percentile(latencies, 50),
      ackP99Ms: percentile(latencies, 99),
      appCpuMsPerAck:
        cpuBefore !== undefined && cpuAfter !== undefined
          ? Number(((cpuAfter - cpuBefore) / options.commands).toFixed(1))
          : undefined,
      completed: completed(),
      loadAverage,
      duplicates,
      maxLlmInFlight: ollama.maxOpen,
      llmConcurrency: LLM_CONCURRENCY,
      wallMs,
      resume: {
        baselineMs: Math.round(baseline.totalMs),
        interruptedStageMs: Math.round(baseline.enrichmentMs),
        killedMs: Math.round(killed.totalMs),
        takeOverMs,
        redoneMs: Math.round(killed.totalMs - baseline.totalMs - takeOverMs),
      },
    };
  } finally {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await services.close();
    await Promise.all([ollama.close(), tavily.close(), slack.close()]);
    if (server) await server.close();
    else await dropRedisPrefix(redisUrl, env.REDIS_PREFIX!);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
