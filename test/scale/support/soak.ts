// A soak: many /leads over minutes across app instances and workers (each its own process) on a real redis-server
// with its append-only file, while faults land on a schedule: workers SIGKILLed and restarted, Redis restarted,
// Slack 429 and 5xx bursts, the model hanging and failing, HubSpot losing answers and failing, deliveries sent twice.
// Every thread is then read back as the person who asked would: one result or one failure with its reason, never
// nothing and never two. Used by `npm run bench -- --soak` (about 10 minutes) and by a short test in the Redis run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeHubspot, type FakeHubspot, type LostAnswer } from '../../fakes/fake-hubspot.js';
import { startFakeOllama, type FakeCostModel, type FakeOllama } from '../../fakes/fake-ollama.js';
import { startFakeSlack, type FakeMessage, type FakeSlack } from '../../fakes/fake-slack.js';
import { startFakeTavily } from '../../fakes/fake-tavily.js';
import { misbehavingModel } from '../../fakes/misbehaving-model.js';
import {
  startAppProcess,
  startWorkerProcess,
  type AppProcess,
  type LeadsProcess,
} from '../../slack/support/app-process.js';
import { buttonBody, sendSigned, slashCommandBody, type SendResult } from '../../slack/support/signed-requests.js';
import { TEST_SECRETS } from '../../slack/support/slack-test-app.js';
import { resultIn } from '../../slack/support/thread-shape.js';
import { FAKE_WORLD, fakeWebResults } from '../../support/fake-web.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';

export interface SoakOptions {
  /** Requests sent, spread evenly over `durationMs`. */
  runs: number;
  durationMs: number;
  /** How long to wait after the last request for every thread to get its answer. */
  drainMs: number;
  apps: number;
  workers: number;
  llmConcurrency: number;
  cost: FakeCostModel;
  searchLatencyMs: number;
  log: (line: string) => void;
  /** A folder to write every process's output to when the soak ends (to study a loss). */
  logsDir?: string;
}

export interface SoakResult {
  requested: number;
  /** Deliveries sent in all (a request sent twice, to two instances or as Slack's retry, counts twice). */
  deliveries: number;
  /** Requests whose every delivery was acked with "can't reach the shared store" (Redis down): told to retry. */
  refusedAtAck: number;
  /** Requests whose thread got a result. */
  completed: number;
  /** Requests told why they failed (in the thread, or privately when no thread could be opened). */
  failed: number;
  /** Acked, but never answered. */
  lost: number;
  /** Second outcomes in one thread, and second threads for one request. */
  duplicates: number;
  /** HubSpot companies beyond one per key, and notes beyond one per company and run. */
  crmDuplicates: number;
  hubspotPresses: number;
  hubspotAnswered: number;
  ackP50Ms: number;
  ackP99Ms: number;
  /** The same, leaving out acks sent while Redis was restarting (they wait for it, within the ack's budget). */
  ackP99OutsideRedisRestartsMs: number;
  acksOver500Ms: number;
  /** What the failed threads were told, with counts. */
  failureReasons: Record<string, number>;
  maxLlmInFlight: number;
  llmConcurrency: number;
  faults: Record<string, number>;
  loadAverage: number;
  wallMs: number;
  /** What the lost and duplicated requests looked like, for the report. */
  problems: string[];
}

const SIGNING_SECRET = TEST_SECRETS.signingSecret;
const TEAM = 'T0001';
const FORM = 'application/x-www-form-urlencoded';
const REGIONS = [
  'Texas',
  'Ohio',
  'Florida',
  'Ontario',
  'Georgia',
  'Arizona',
  'Colorado',
  'Alberta',
  'Tennessee',
  'the Midwest',
  'the Southeast',
  'Canada',
];
const ASKS = ['find customers in', 'find partners in', 'dealer groups in', 'find customers and partners in'];
const REFUSED = /can’t reach its shared store/;
const FAILURE = /could not finish|^:mag: |was interrupted by a restart|couldn’t start|could not start/;

const SIZES = ['', ' with 10 to 50 rooftops'];

/** Requests repeat after a while, as a team's do: repeats are answered from the caches, new ones keep the model busy. */
function requestText(i: number): string {
  const ask = ASKS[i % ASKS.length];
  const region = REGIONS[Math.floor(i / ASKS.length) % REGIONS.length];
  const size = SIZES[Math.floor(i / (ASKS.length * REGIONS.length)) % SIZES.length];
  return `${ask} ${region}${size}`;
}

interface Request {
  index: number;
  channel: string;
  user: string;
  text: string;
  acks: (SendResult & { sentAt: number })[];
  pressed: number;
}

/** Times (ms from the start) of a fault that recurs every `periodMs`, first at `offsetMs`, within the duration. */
function every(durationMs: number, periodMs: number, offsetMs: number): number[] {
  const times: number[] = [];
  for (let t = offsetMs; t < durationMs; t += periodMs) times.push(t);
  return times;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { log } = options;
  const started = performance.now();
  const redis: RedisServer = await startRedisServer({ persistent: true });
  const model = misbehavingModel({ world: FAKE_WORLD });
  const ollama: FakeOllama = await startFakeOllama({ respond: model.respond, cost: options.cost });
  const tavily = await startFakeTavily({ results: fakeWebResults(), latencyMs: options.searchLatencyMs });
  const slack: FakeSlack = await startFakeSlack({ teamId: TEAM });
  const hubspot: FakeHubspot = await startFakeHubspot({ indexLagMs: 30_000 });
  const dataDir = mkdtempSync(join(tmpdir(), 'leads-soak-'));
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    OLLAMA_HOST: ollama.url,
    SEARCH_PROVIDERS: 'tavily',
    TAVILY_API_URL: tavily.url,
    TAVILY_API_KEY: 'tvly-soak-key-0123456789',
    HUBSPOT_TOKEN: hubspot.token,
    HUBSPOT_API_URL: hubspot.url,
    DATA_DIR: dataDir,
    LLM_CONCURRENCY: String(options.llmConcurrency),
    LLM_TIMEOUT_MS: '8000',
    REDIS_URL: redis.url,
    REDIS_PREFIX: `soak-${process.pid}`,
    WORKERS: 'external',
    JOB_STALL_MS: '5000',
    SHUTDOWN_GRACE_MS: '5000',
    LOG_LEVEL: 'info',
  };
  const apps: AppProcess[] = [];
  const workers: (LeadsProcess | undefined)[] = [];
  const retired: LeadsProcess[] = [];
  const requests: Request[] = [];
  const faults: Record<string, number> = {};
  /** When Redis was restarting (from the stop to answering again): acks then wait for it. */
  const redisDown: { from: number; to: number }[] = [];
  const count = (fault: string) => (faults[fault] = (faults[fault] ?? 0) + 1);
  const pending = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    void work.finally(() => pending.delete(work)).catch(() => undefined);
    return work;
  };
  try {
    log(`  starting ${options.apps} app instances and ${options.workers} workers on redis-server (append-only)…`);
    apps.push(
      ...((await Promise.all(
        Array.from({ length: options.apps }, () => startAppProcess(env, 90_000)),
      )) as AppProcess[]),
    );
    workers.push(
      ...(await Promise.all(Array.from({ length: options.workers }, () => startWorkerProcess(env, 90_000)))),
    );
    // Instances that have been up a while have their code paths compiled; a help request each stands in for that.
    for (const app of apps)
      await sendSigned(
        app.eventsUrl,
        slashCommandBody('help', {
          teamId: TEAM,
          userId: 'U0999',
          channelId: 'C0999',
          responseUrl: `${slack.url}/response/warm`,
        }),
        FORM,
        { secret: SIGNING_SECRET },
      );

    const d = options.durationMs;
    const schedule: [number, string, () => Promise<void> | void][] = [
      ...every(d, Math.max(d / 7, 20_000), d * 0.12).map((t, i): [number, string, () => Promise<void>] => [
        t,
        'worker SIGKILLed and restarted',
        async () => {
          const slot = i % options.workers;
          const victim = workers[slot];
          workers[slot] = undefined;
          if (victim) {
            await victim.kill('SIGKILL');
            retired.push(victim);
          }
          await sleep(3000);
          workers[slot] = await startWorkerProcess(env, 90_000);
        },
      ]),
      ...every(d, Math.max(d / 3.5, 30_000), d * 0.3).map((t): [number, string, () => Promise<void>] => [
        t,
        'Redis restarted (append-only file)',
        async () => {
          const window = { from: Date.now(), to: Number.POSITIVE_INFINITY };
          redisDown.push(window);
          await redis.restart({ downMs: 1500 });
          window.to = Date.now();
        },
      ]),
      ...every(d, Math.max(d / 12, 10_000), d * 0.05).map((t, i): [number, string, () => void] => [
        t,
        i % 2 === 0 ? 'Slack 429 burst' : 'Slack 5xx burst',
        () => {
          for (const method of ['chat.postMessage', 'chat.update'])
            for (let n = 0; n < 4; n += 1)
              slack.queue(
                method,
                i % 2 === 0
                  ? { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } }
                  : { status: 503, body: 'upstream connect error or disconnect/reset before headers' },
              );
        },
      ]),
      ...every(d, Math.max(d / 10, 15_000), d * 0.08).map((t, i): [number, string, () => void] => [
        t,
        i % 2 === 0 ? 'model hangs' : 'model fails',
        () =>
          i % 2 === 0
            ? ollama.enqueue({ delayMs: 30_000 }, { delayMs: 30_000 })
            : ollama.enqueue(...Array.from({ length: 4 }, () => ({ status: 500, error: 'model runner has crashed' }))),
      ]),
      ...every(d, Math.max(d / 12, 10_000), d * 0.1).map((t, i): [number, string, () => void] => [
        t,
        [
          'HubSpot 502 after a write',
          'HubSpot drops the connection after a write',
          'HubSpot 504, write lands late',
          'HubSpot 503 burst',
        ][i % 4]!,
        () => {
          const how: (LostAnswer | undefined)[] = ['502', 'drop', 'late', undefined];
          const lost = how[i % 4];
          if (lost) hubspot.failAfterWrite(lost, { count: 2, lateMs: 400 });
          else hubspot.failNext(503, 4);
        },
      ]),
    ].sort((a, b) => a[0] - b[0]);

    log(`  ${options.runs} requests over ${Math.round(d / 1000)} s, ${schedule.length} faults on a schedule…`);
    const loadAverage = Number(loadavg()[0]!.toFixed(1));
    const t0 = Date.now();
    const faultRunner = (async () => {
      for (const [at, name, act] of schedule) {
        await sleep(Math.max(0, t0 + at - Date.now()));
        count(name);
        log(`    ${Math.round((Date.now() - t0) / 1000)} s: ${name}`);
        await track(Promise.resolve(act())).catch((error: unknown) =>
          log(`    fault ${name} failed: ${String(error)}`),
        );
      }
    })();

    const send = (app: number, body: string, headers?: Record<string, string>) =>
      sendSigned(apps[app % apps.length]!.eventsUrl, body, FORM, {
        secret: SIGNING_SECRET,
        ...(headers ? { headers } : {}),
      });
    const threads = () => {
      const byChannel = new Map<string, FakeMessage[]>();
      for (const m of slack.messages) byChannel.set(m.channel, [...(byChannel.get(m.channel) ?? []), m]);
      return byChannel;
    };

    // HubSpot: some results are sent, some of them pressed on two instances at once.
    let stopPressing = false;
    const presser = (async () => {
      for (;;) {
        const all = threads();
        for (const request of requests) {
          if (request.pressed > 0 || request.index % 4 !== 0) continue;
          const result = resultIn((all.get(request.channel) ?? []).filter((m) => m.thread_ts));
          const button = result?.buttons.find((b) => b.action_id === 'leads_send_hubspot');
          if (!result?.table || !button) continue;
          request.pressed = request.index % 8 === 0 ? 2 : 1;
          for (let p = 0; p < request.pressed; p += 1)
            void track(
              send(
                request.index + 1 + p,
                buttonBody('leads_send_hubspot', button.value, {
                  teamId: TEAM,
                  userId: request.user,
                  channelId: request.channel,
                  responseUrl: `${slack.url}/response/${request.channel}`,
                }),
              ),
            );
        }
        if (stopPressing) return;
        await sleep(500);
      }
    })();

    for (let i = 0; i < options.runs; i += 1) {
      await sleep(Math.max(0, t0 + (i * d) / options.runs - Date.now()));
      const request: Request = {
        index: i,
        channel: `C${String(10_000 + i)}`,
        user: `U${String(10_000 + i)}`,
        text: requestText(i),
        acks: [],
        pressed: 0,
      };
      requests.push(request);
      const body = slashCommandBody(request.text, {
        teamId: TEAM,
        userId: request.user,
        channelId: request.channel,
        responseUrl: `${slack.url}/response/${request.channel}`,
        triggerId: `soak.${i}.${t0}`,
      });
      const deliver = (app: number, headers?: Record<string, string>) => {
        const sentAt = Date.now();
        return track(send(app, body, headers).then((ack) => void request.acks.push({ ...ack, sentAt })));
      };
      void deliver(i);
      // Slack sends some deliveries twice: to two instances at once, or again as its retry a little later.
      if (i % 4 === 1) {
        count('delivery sent to two instances');
        void deliver(i + 1);
      } else if (i % 6 === 3) {
        count('delivery retried by Slack');
        void sleep(1200).then(() =>
          deliver(i + 2, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }),
        );
      }
    }
    await faultRunner;

    log(`  waiting up to ${Math.round(options.drainMs / 1000)} s for every thread's answer…`);
    const outcomesOf = (messages: FakeMessage[]) =>
      messages.filter((m) => m.thread_ts && (resultIn([m])?.table || FAILURE.test(m.text)));
    const privately = (channel: string) =>
      slack.responses.filter((r) => r.path === `/response/${channel}` && FAILURE.test(String(r.body.text ?? '')));
    const refusedOnly = (r: Request) => r.acks.length > 0 && r.acks.every((a) => REFUSED.test(a.text));
    const answered = (r: Request, all: Map<string, FakeMessage[]>) =>
      refusedOnly(r) || outcomesOf(all.get(r.channel) ?? []).length > 0 || privately(r.channel).length > 0;
    const hubspotAnsweredIn = (all: Map<string, FakeMessage[]>) =>
      [...all.values()]
        .flat()
        .filter(
          (m) =>
            / to HubSpot|Sending to HubSpot failed/.test(m.text) && !/is sending \d+ leads? to HubSpot…$/.test(m.text),
        ).length;
    const presses = () => requests.reduce((sum, r) => sum + r.pressed, 0);
    const drainUntil = Date.now() + options.drainMs;
    const drained = () => {
      const all = threads();
      return requests.every((r) => answered(r, all)) && hubspotAnsweredIn(all) >= presses() && pending.size === 0;
    };
    while (Date.now() < drainUntil && !drained()) await sleep(1000);
    // Long enough for a late duplicate (a second worker's result, a resumed run posting again) to show, and for the
    // last presses of Send (made as the last results came in) to be answered.
    await sleep(5000);
    stopPressing = true;
    await presser;
    await Promise.allSettled([...pending]);
    for (const until = Math.min(drainUntil, Date.now() + 30_000); Date.now() < until && !drained();) await sleep(1000);

    const all = threads();
    const problems: string[] = [];
    let completed = 0;
    let failed = 0;
    let lost = 0;
    let refusedAtAck = 0;
    let duplicates = 0;
    for (const r of requests) {
      const messages = all.get(r.channel) ?? [];
      const parents = messages.filter((m) => !m.thread_ts);
      const outcomes = outcomesOf(messages);
      const extra = Math.max(0, parents.length - 1) + Math.max(0, outcomes.length - 1);
      if (extra > 0) {
        duplicates += extra;
        problems.push(
          `duplicate in ${r.channel} ("${r.text}"): ${parents.length} threads, outcomes: ${outcomes.map((m) => m.text.slice(0, 80)).join(' | ')}`,
        );
      }
      if (outcomes.some((m) => resultIn([m])?.table)) completed += 1;
      else if (outcomes.length > 0 || privately(r.channel).length > 0) failed += 1;
      else if (refusedOnly(r)) refusedAtAck += 1;
      else {
        lost += 1;
        const said = [...apps, ...workers.filter((w): w is LeadsProcess => !!w), ...retired]
          .flatMap((p) => p.output().split('\n'))
          .filter((line) => line.includes(r.channel) || line.includes(r.text))
          .slice(-6)
          .map((line) => line.slice(0, 300));
        problems.push(`  process lines: ${said.join('\n    ') || 'none'}`);
        problems.push(
          `lost ${r.channel} ("${r.text}"): acks ${r.acks.map((a) => `${a.status} ${a.text.slice(0, 60)}`).join(', ') || 'none'}; ${messages.length} messages: ${messages.map((m) => m.text.slice(0, 60)).join(' | ')}`,
        );
      }
    }
    const perKey = new Map<string, number>();
    for (const c of hubspot.companies) {
      const key = c.properties.leads_company_key ?? c.properties.domain ?? c.properties.name ?? c.id;
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    const perNote = new Map<string, number>();
    for (const n of hubspot.notes) {
      const run = /\(run ([A-Za-z0-9_-]+)\)/.exec(n.body)?.[1] ?? '?';
      for (const company of n.companyIds) perNote.set(`${company}/${run}`, (perNote.get(`${company}/${run}`) ?? 0) + 1);
    }
    const crmDuplicates =
      [...perKey.values()].reduce((sum, n) => sum + n - 1, 0) +
      [...perNote.values()].reduce((sum, n) => sum + n - 1, 0);
    if (crmDuplicates > 0) problems.push(`CRM duplicates: ${crmDuplicates}`);
    const hubspotPresses = presses();
    const hubspotAnswered = hubspotAnsweredIn(all);
    const latencies = requests.flatMap((r) => r.acks.map((a) => a.elapsedMs)).sort((a, b) => a - b);
    // An ack sent while Redis restarts waits for it (within its budget); the app's own latency is the rest.
    const duringRestart = (a: { sentAt: number; elapsedMs: number }) =>
      redisDown.some((w) => a.sentAt <= w.to + 1000 && a.sentAt + a.elapsedMs >= w.from);
    const outside = requests
      .flatMap((r) => r.acks.filter((a) => !duringRestart(a)).map((a) => a.elapsedMs))
      .sort((a, b) => a - b);
    const reasons: Record<string, number> = {};
    for (const r of requests) {
      const messages = all.get(r.channel) ?? [];
      if (outcomesOf(messages).some((m) => resultIn([m])?.table)) continue;
      const said = [
        ...outcomesOf(messages).map((m) => m.text),
        ...privately(r.channel).map((x) => String(x.body.text)),
      ];
      for (const text of said) {
        const reason = text
          .replace(/https?:\/\/\S+/g, '<url>')
          .replace(/\d+/g, 'N')
          .slice(0, 140);
        reasons[reason] = (reasons[reason] ?? 0) + 1;
      }
    }
    return {
      requested: requests.length,
      deliveries: latencies.length,
      refusedAtAck,
      completed,
      failed,
      lost,
      duplicates,
      crmDuplicates,
      hubspotPresses,
      hubspotAnswered,
      ackP50Ms: percentile(latencies, 50),
      ackP99Ms: percentile(latencies, 99),
      ackP99OutsideRedisRestartsMs: percentile(outside, 99),
      acksOver500Ms: latencies.filter((ms) => ms > 500).length,
      failureReasons: reasons,
      maxLlmInFlight: ollama.maxOpen,
      llmConcurrency: options.llmConcurrency,
      faults,
      loadAverage,
      wallMs: Math.round(performance.now() - started),
      problems,
    };
  } finally {
    const everyone = [...apps, ...workers.filter((w): w is LeadsProcess => !!w), ...retired];
    if (options.logsDir) {
      mkdirSync(options.logsDir, { recursive: true });
      everyone.forEach((p, i) => writeFileSync(join(options.logsDir!, `process-${i}-${p.pid}.log`), p.output()));
    }
    await Promise.all(everyone.map((p) => p.kill('SIGKILL')));
    await Promise.all([ollama.close(), tavily.close(), slack.close(), hubspot.close()]);
    await redis.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
