// The app's own secrets (bot token, signing secret, search keys, HF token, HubSpot token, proxy passwords and bearer
// tokens; the app token exists only in Socket Mode, and this app runs in HTTP mode) planted in a web page, a request, a re-score note, a company's name, a feedback reason and a
// scheduled request, in the Slack app on the real pipeline with HubSpot set up. Whatever leaves or is stored must hold
// none of them: the prompts the fake model received, every value in the store (SQLite file, or every Redis key of the
// app), the results files and prompt log, every Slack call, the CSV export and every HubSpot request. Each run picks
// the secret for each place at random.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { WorkspaceState } from '../../src/slack/deps.js';
import { startFakeHubspot } from '../fakes/fake-hubspot.js';
import { FakeWorld } from '../fakes/fake-world.js';
import { FAKE_WORLD } from '../support/fake-web.js';
import { startPipelineHarness } from '../support/pipeline-harness.js';
import { createManualScheduler } from './support/manual-scheduler.js';
import { startSlackTestApp, TEST_SECRETS } from './support/slack-test-app.js';
import { resultIn, threadOf } from './support/thread-shape.js';

const PROXY_PASSWORD = 'proxy-pass-5e6f7a8b9c';
const SECRETS = {
  SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
  SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
  TAVILY_API_KEY: 'tvly-planted-key-4b1f9e0c2d7a',
  SERPER_API_KEY: 'serper-planted-key-55aa66bb',
  GOOGLE_CSE_KEY: 'AIzaPlantedGoogleKey-77cc88dd',
  HF_TOKEN: 'hf_plantedTokenValue0123456789',
  HUBSPOT_TOKEN: 'pat-na1-planted-hubspot-0f1e2d3c',
  OLLAMA_BEARER_TOKEN: 'ollama-bearer-planted-9a8b7c',
  SERPER_BEARER_TOKEN: 'serper-bearer-planted-6d5e4f',
  DUCKDUCKGO_PROXY: PROXY_PASSWORD,
} as const;
type SecretName = keyof typeof SECRETS;
const NAMES = Object.keys(SECRETS) as SecretName[];

/** A company the fake model knows by the name the pages give it once the secret is scrubbed from them. */
const SECRET_CO = 'Secretco [REDACTED] Motors';
const WORLD = new FakeWorld([
  ...FAKE_WORLD.companies,
  { name: SECRET_CO, variants: [], kind: 'customer', fit: 99, facts: {}, signal: 'bought four stores' },
]);

/** How a secret sits in a text: alone, quoted, as a URL parameter, glued to punctuation. */
const WRAPS = [
  (s: string) => s,
  (s: string) => `"${s}"`,
  (s: string) => `https://example.com/cb?token=${s}&x=1`,
  (s: string) => `(${s}).`,
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Every value of every key under these prefixes, whatever its type (Keyv strings, BullMQ hashes, lists, sets). */
async function redisContents(url: string, prefixes: string[]): Promise<string> {
  const redis = new Redis(url);
  const parts: string[] = [];
  try {
    for (const prefix of prefixes) {
      for (const key of await redis.keys(`${prefix}*`)) {
        const type = await redis.type(key);
        if (type === 'string') parts.push((await redis.getBuffer(key))?.toString('utf8') ?? '');
        else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    }
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}

interface Plan {
  page: SecretName;
  request: SecretName;
  note: SecretName;
  company: SecretName;
  reason: SecretName;
  schedule: SecretName;
  wrap: number;
}

/** What a run started; each property run closes its own, so none outlives it (fast-check may go on shrinking). */
type Opened = { close(): Promise<unknown> }[];

async function runWithSecretsPlanted(plan: Plan, opened: Opened): Promise<void> {
  const wrap = WRAPS[plan.wrap]!;
  const planted = (name: SecretName) => wrap(SECRETS[name]);
  const hubspot = await startFakeHubspot({ token: SECRETS.HUBSPOT_TOKEN });
  opened.push(hubspot);
  const harness = await startPipelineHarness({
    world: WORLD,
    web: {
      // Several articles about the company, so that it ranks among the candidates; one quotes a secret too.
      extraPages: Array.from({ length: 6 }, (_, i) => ({
        title: `Secretco ${SECRETS[plan.company]} Motors bought four stores | Auto Retail News`,
        url: `https://news.example-auto.com/secretco-${i}?ref=${SECRETS[plan.page]}`,
        snippet: `Secretco ${SECRETS[plan.company]} Motors bought four stores.${i === 0 ? ` Its config page said ${planted(plan.page)} in plain text.` : ''}`,
      })),
    },
    env: (urls) => ({
      ...SECRETS,
      GOOGLE_CSE_CX: 'cx-not-secret',
      DUCKDUCKGO_PROXY: `http://leads:${PROXY_PASSWORD}@127.0.0.1:9`,
      OLLAMA_HOST: urls.ollama,
      HUBSPOT_API_URL: hubspot.url,
      LOG_LEVEL: 'debug',
    }),
  });
  opened.push(harness);
  const { services } = harness;
  const workspace: WorkspaceState = {
    feedback: services.feedback,
    schedules: services.schedules,
    recentRuns: services.recentRuns,
  };
  const scheduler = createManualScheduler();
  const redis = services.config.redis;
  // In Redis mode the app shares the pipeline's prefix, so one scan sees its job payloads and shared state too.
  // The app is configured as the pipeline is (the same secrets, the same HubSpot), as one deployment's processes are.
  const t = await startSlackTestApp(services.orchestrator, {
    env: {
      ...SECRETS,
      GOOGLE_CSE_CX: 'cx-not-secret',
      DUCKDUCKGO_PROXY: `http://leads:${PROXY_PASSWORD}@127.0.0.1:9`,
      HUBSPOT_API_URL: hubspot.url,
      ...(redis ? { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix } : {}),
    },
    deps: { workspace, scheduler, ...(services.hubspot ? { hubspot: services.hubspot } : {}) },
  });
  opened.push(t);

  // A request, its result, a re-score with a note, a mark with a reason, an export, a send, a scheduled digest.
  await t.command(`find customers like Secretco, my key is ${planted(plan.request)}`);
  await t.slack.idle();
  const result = resultIn(threadOf(t.fake).replies)!;
  expect(result, harness.logs().slice(-3000)).toBeDefined();
  const runId = result.buttons[0]!.value;
  await t.button('leads_rescore', runId);
  await t.slack.idle();
  const view = t.fake.callsTo('views.open')[0]!.args.view as { callback_id: string; private_metadata: string };
  await t.submitView(view.callback_id, view.private_metadata, `favour groups like ${planted(plan.note)}`);
  await t.slack.idle();
  const stored = (await services.orchestrator.getRun('T0001', runId))!;
  const secretco = stored.leads!.find((l) => l.name === SECRET_CO);
  expect(secretco, 'the company named with a secret is among the leads').toBeDefined();
  const blocks = (result.message.attachments as { blocks: Record<string, unknown>[] }[])[0]!.blocks as {
    block_id?: string;
    text?: { text: string };
    accessory?: { options: { text: { text: string }; value: string }[] };
  }[];
  const section = blocks.find((b) => b.accessory && b.text!.text.includes('Secretco'))!;
  await t.menu(
    'leads_feedback',
    section.block_id!,
    section.accessory!.options.find((o) => o.text.text === 'Good fit')!.value,
  );
  await t.slack.idle();
  const [mark] = await workspace.feedback.list('T0001');
  await t.button('leads_feedback_reason', mark!.id);
  await t.slack.idle();
  const reasonView = t.fake.callsTo('views.open').at(-1)!.args.view as {
    callback_id: string;
    private_metadata: string;
  };
  await t.submitValues(reasonView.callback_id, reasonView.private_metadata, {
    feedback_reason: { reason: `like ${planted(plan.reason)}` },
  });
  await t.button('leads_export_csv', runId);
  await t.button('leads_send_hubspot', runId);
  await t.command(`schedule weekly customers like ${planted(plan.schedule)}`);
  await t.slack.idle();
  const [schedule] = await workspace.schedules.list('T0001');
  await scheduler.fire('T0001', schedule!.id);
  await t.slack.idle();
  await services.llm.flush?.();

  // Each channel the secrets could reach, and proof that the text carrying them did reach it (scrubbed).
  const store = redis ? await redisContents(redis.url, [redis.prefix]) : '';
  const files = filesUnder(harness.dataDir).map((f) => [f, readFileSync(f).toString('utf8')] as const);
  const channels: Record<string, string> = {
    'prompts the model received': JSON.stringify(harness.ollama.calls.map((c) => c.messages)),
    'the store':
      store +
      files
        .filter(([f]) => f.includes('cache.sqlite'))
        .map(([, text]) => text)
        .join('\n'),
    'results files': files
      .filter(([f]) => f.includes('results_cache'))
      .map(([, text]) => text)
      .join('\n'),
    'the prompt log': files
      .filter(([f]) => f.includes('prompt_logs'))
      .map(([, text]) => text)
      .join('\n'),
    // The bot token itself goes to Slack as the credential of each call (Bolt puts it in the body of some); what
    // matters is that no message, view or file carries a secret.
    'Slack calls':
      JSON.stringify(t.fake.calls.map(({ args: { token: _credential, ...args } }) => args)) +
      JSON.stringify(t.fake.responses),
    'the CSV export': t.fake.uploads.map((u) => u.content ?? '').join('\n'),
    'HubSpot calls': hubspot.requests.map((r) => `${r.url}\n${r.rawBody}`).join('\n'),
  };
  expect(channels['prompts the model received']).toContain('[REDACTED]');
  expect(channels['the CSV export']).toContain(SECRET_CO);
  expect(channels['HubSpot calls']).toContain(SECRET_CO);
  expect(channels['results files']).toContain('[REDACTED]');
  for (const name of NAMES) {
    for (const [where, text] of Object.entries(channels))
      expect(text.includes(SECRETS[name]), `${name} found in ${where}`).toBe(false);
  }
}

describe('the app’s secrets, planted everywhere a user or a page can put text', () => {
  it('never reach a model, the store, a file, Slack, the CSV or HubSpot (property)', async () => {
    const name = fc.constantFrom(...NAMES);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          page: name,
          request: name,
          note: name,
          company: name,
          reason: name,
          schedule: name,
          wrap: fc.integer({ min: 0, max: WRAPS.length - 1 }),
        }),
        async (plan) => {
          const opened: Opened = [];
          try {
            await runWithSecretsPlanted(plan, opened);
          } finally {
            for (const resource of opened.reverse()) await resource.close().catch(() => undefined);
          }
        },
      ),
      {
        numRuns: 3,
        // Each run is a whole Slack run on the pipeline: report the first failure rather than shrink it for minutes.
        endOnFailure: true,
        seed: Number(process.env.FC_SEED ?? 20261125),
        examples: [
          [
            {
              page: 'SLACK_SIGNING_SECRET',
              request: 'SLACK_BOT_TOKEN',
              note: 'HF_TOKEN',
              company: 'HUBSPOT_TOKEN',
              reason: 'DUCKDUCKGO_PROXY',
              schedule: 'TAVILY_API_KEY',
              wrap: 2,
            },
          ],
        ],
      },
    );
  }, 120_000);
});
