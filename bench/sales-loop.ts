// The sales loop on the cost model: a weekly digest twice (the clock moved a week between them, the web the same),
// a request answered at once from the latest digest, and the team's marks moving the next ranking. The Slack app
// runs in this process against the fake Slack, on the same real pipeline the other scenarios use.
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config.js';
import { identityOf } from '../src/domain/feedback.js';
import type { Lead } from '../src/domain/types.js';
import { createLogger } from '../src/logger.js';
import { createSlackApp } from '../src/slack/app.js';
import { startFakeSlack } from '../test/fakes/fake-slack.js';
import { createManualScheduler } from '../test/slack/support/manual-scheduler.js';
import { sendSigned, slashCommandBody } from '../test/slack/support/signed-requests.js';
import { resultIn } from '../test/slack/support/thread-shape.js';
import { startPipelineHarness } from '../test/support/pipeline-harness.js';
import type { FakeCostModel } from '../test/fakes/fake-ollama.js';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const SECRET = 'bench-signing-secret-0123456789';

export interface SalesLoopResult {
  firstDigest: { wallMs: number; llmCalls: number; searches: number; leads: number };
  secondDigest: { wallMs: number; llmCalls: number; searches: number; newLeads: number; changed: number };
  /** Second digest's search and model calls over the first's. */
  reuseRatio: number;
  instant: { ackMs: number; postedMs: number; llmCalls: number; searches: number };
  marks: { likedRegion: string; likedMoves: number[]; dislikedRegion: string; dislikedMoves: number[] };
}

/** Moves the process clock (what cache expiry reads) forward, as if time had passed; returns the undo. */
function shiftClock(byMs: number): () => void {
  const realNow = Date.now;
  Date.now = () => realNow() + byMs;
  return () => {
    Date.now = realNow;
  };
}

export async function runSalesLoop(options: {
  cost: FakeCostModel;
  searchLatencyMs: number;
}): Promise<SalesLoopResult> {
  const harness = await startPipelineHarness({
    cost: options.cost,
    searchLatencyMs: options.searchLatencyMs,
    env: { LOG_LEVEL: 'warn' },
  });
  // The fake's auth.test names the bench's workspace: the app serves only its token's workspace.
  const fake = await startFakeSlack({ teamId: 'TLOOP' });
  const { services } = harness;
  const scheduler = createManualScheduler();
  const quiet = createLogger({
    level: 'warn',
    scrub: (t) => t,
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
  // The harness's services with the Slack app's own credentials; the scheduler fires when the bench says.
  const slack = createSlackApp(
    {
      ...services,
      logger: quiet,
      config: loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-bench-token-0123456789',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
      }),
    },
    { scheduler, progressIntervalMs: 1000 },
  );
  const { port } = await slack.start();
  const eventsUrl = `http://127.0.0.1:${port}/slack/events`;
  const command = (text: string, channelId: string, userId: string) =>
    sendSigned(
      eventsUrl,
      slashCommandBody(text, { teamId: 'TLOOP', channelId, userId, responseUrl: `${fake.url}/response/command` }),
      'application/x-www-form-urlencoded',
      { secret: SECRET },
    );
  const restore: (() => void)[] = [];
  try {
    await command('schedule weekly customers', 'C0100', 'U0100');
    await slack.idle();
    const [schedule] = await services.schedules.list('TLOOP');
    if (!schedule) throw new Error('the schedule was not stored');
    const digestRuns = async () =>
      (await services.recentRuns.list('TLOOP')).filter((r) => r.kind === 'digest' && r.status === 'succeeded');

    let started = performance.now();
    await scheduler.fire('TLOOP', schedule.id);
    await slack.idle();
    const firstWall = Math.round(performance.now() - started);
    const first = await services.orchestrator.getRun('TLOOP', (await digestRuns())[0]!.runId);

    // A week later, on the same web: caches older than their lifetime have expired, as they would have.
    restore.push(shiftClock(WEEK_MS));
    started = performance.now();
    await scheduler.fire('TLOOP', schedule.id);
    await slack.idle();
    const secondWall = Math.round(performance.now() - started);
    const secondRecent = (await digestRuns()).find((r) => r.runId !== first!.runId)!;
    const second = await services.orchestrator.getRun('TLOOP', secondRecent.runId);
    const memoryDiff = fake.messages.filter((m) => m.thread_ts === secondRecent.threadTs).at(-1)!;
    const changed = (JSON.stringify(memoryDiff.blocks).match(/\(#\d+\): /g) ?? []).length;

    // Someone else types the same request: answered from the digest, no search and no model call.
    const llmBefore = harness.ollama.calls.length;
    const searchesBefore = harness.tavily.requests.length;
    started = performance.now();
    const ack = await command('find customers', 'C0200', 'U0200');
    await fake.waitFor(
      () => resultIn(fake.messages.filter((m) => m.channel === 'C0200' && m.thread_ts)) !== undefined,
      10_000,
      'the instant answer',
    );
    const postedMs = Math.round(performance.now() - started);
    await slack.idle();
    const instant = {
      ackMs: ack.elapsedMs,
      postedMs,
      llmCalls: harness.ollama.calls.length - llmBefore,
      searches: harness.tavily.requests.length - searchesBefore,
    };

    const marks = await marksMoveRanking(services, second!.leads ?? []);
    const firstCalls = first!.stats.llmCalls + first!.stats.searches;
    const secondCalls = second!.stats.llmCalls + second!.stats.searches;
    return {
      firstDigest: {
        wallMs: firstWall,
        llmCalls: first!.stats.llmCalls,
        searches: first!.stats.searches,
        leads: first!.leads?.length ?? 0,
      },
      secondDigest: {
        wallMs: secondWall,
        llmCalls: second!.stats.llmCalls,
        searches: second!.stats.searches,
        newLeads: secondRecent.leads ?? 0,
        changed,
      },
      reuseRatio: firstCalls === 0 ? 0 : secondCalls / firstCalls,
      instant,
      marks,
    };
  } finally {
    for (const undo of restore.reverse()) undo();
    await slack.stop({ drainMs: 5000 });
    await fake.close();
    await harness.close();
  }
}

/**
 * The team marks the lowest-ranked lead "Good fit" and a top-five lead from another region "Not a fit"; the same
 * request is ranked with those marks and with the hiding alone. The difference is what the judgements did:
 * companies from the liked company's region should move up, those from the disliked one's region down.
 */
async function marksMoveRanking(
  services: Awaited<ReturnType<typeof startPipelineHarness>>['services'],
  leads: Lead[],
): Promise<SalesLoopResult['marks']> {
  const region = (lead: Lead) => (lead.headquarters ?? '').split(',').pop()!.trim();
  // Marks on companies whose region others in the list share, so there is something for the marks to move.
  const shared = (lead: Lead) => leads.filter((l) => region(l) === region(lead)).length >= 2;
  const liked = [...leads].reverse().find(shared) ?? leads[leads.length - 1]!;
  const disliked = leads.find((l) => shared(l) && region(l) !== region(liked)) ?? leads[0]!;
  for (const [lead, kind] of [
    [liked, 'good_fit'],
    [disliked, 'not_a_fit'],
  ] as const) {
    await services.feedback.add({
      scope: 'TLOOP',
      kind,
      company: identityOf(lead),
      facts: [lead.industry, lead.size, lead.headquarters].filter(Boolean).join(' · '),
      runId: 'bench',
      channelId: 'C0300',
      userId: 'U0300',
    });
  }
  const team = await services.feedback.teamContext('TLOOP');
  const top = 20;
  const marked = await services.orchestrator.run({ text: 'find customers', scope: 'TLOOP', top, team });
  const control = await services.orchestrator.run({
    text: 'find customers',
    scope: 'TLOOP',
    top,
    team: { ...team, preferences: [] },
  });
  const rank = (doc: typeof marked, name: string) => doc.leads.find((l) => l.name === name)?.rank ?? top + 1;
  const moves = (place: string) =>
    [
      ...new Set(
        [...marked.leads, ...control.leads]
          .filter((l) => region(l) === place && l.name !== liked.name)
          .map((l) => l.name),
      ),
    ].map((name) => rank(control, name) - rank(marked, name));
  return {
    likedRegion: region(liked),
    likedMoves: moves(region(liked)),
    dislikedRegion: region(disliked),
    dislikedMoves: moves(region(disliked)),
  };
}
