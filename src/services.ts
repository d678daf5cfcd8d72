import type Keyv from 'keyv';
import type { Config } from './config.js';
import { createHubspotClient, type HubspotClient } from './crm/hubspot-client.js';
import { cachedDirectory } from './crm/cached-directory.js';
import { createHubspotDirectory } from './crm/hubspot-directory.js';
import { createSalesforceClient, type SalesforceClient } from './crm/salesforce-client.js';
import { createSalesforceDirectory } from './crm/salesforce-directory.js';
import { SalesforceError } from './crm/salesforce-error.js';
import type { CrmDirectory } from './domain/crm-holdings.js';
import { createLlmFromConfig } from './llm/index.js';
import type { LlmClient } from './llm/types.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { createOrchestrator } from './pipeline/orchestrator.js';
import { createPreflight, type Preflight } from './pipeline/preflight.js';
import type { Orchestrator } from './domain/types.js';
import type { CompanyProfile } from './domain/company-profile.js';
import { loadCompanyProfile } from './profile/company-profile.js';
import { RUNS_QUEUE } from './queue/jobs.js';
import { createBullScheduler } from './scheduling/bullmq-scheduler.js';
import { createCronerScheduler } from './scheduling/croner-scheduler.js';
import type { DigestScheduler } from './scheduling/types.js';
import { createSearchFromConfig } from './search/index.js';
import { createPageReaderFromConfig } from './search/page-reader.js';
import type { FetchReaderOptions } from './search/fetch-reader.js';
import type { PageReader } from './search/page-types.js';
import type { SearchClient } from './search/types.js';
import { createScrubber, secretsOf, type Scrubber } from './secrets.js';
import { WorkCache } from './store/cache.js';
import { FeedbackStore } from './store/feedback-store.js';
import { createRedisDocumentLock } from './store/document-lock.js';
import { createKeyv } from './store/keyv-factory.js';
import { ensureWritableDataDir } from './store/data-dir.js';
import { probeStore, type HealthStatus } from './store/store-health.js';
import {
  closeRedis,
  connectRedis,
  describeRedisUrl,
  redisAnswers,
  settleWithin,
  type RedisClient,
} from './store/redis.js';
import { RecentRunsStore } from './store/recent-runs-store.js';
import { RunStore } from './store/run-store.js';
import { ScheduleStore } from './store/schedule-store.js';
import { SharedRunStore } from './store/shared-run-store.js';

/** Everything a front end needs, built once from a validated Config. */
export interface Services {
  config: Config;
  profile: CompanyProfile;
  logger: Logger;
  /** What GET /metrics serves; every layer records into it. */
  metrics: Metrics;
  scrub: Scrubber;
  keyv: Keyv;
  /** REDIS_URL mode: the connection for de-duplication, one-run-per-person, LLM slots and Slack rate limits. */
  redis?: RedisClient;
  cache: WorkCache;
  runs: RunStore;
  llm: LlmClient;
  search: SearchClient;
  /** PAGE_READER: reads list pages and company pages in full, and keeps what it read by URL for a day. */
  pages: PageReader;
  orchestrator: Orchestrator;
  /** The team's marks on leads, per workspace. */
  feedback: FeedbackStore;
  /** Scheduled digests, their latest results and each channel's digest memory. */
  schedules: ScheduleStore;
  /** Each workspace's latest runs, for App Home. */
  recentRuns: RecentRunsStore;
  /** Fires digests: in-process timers (croner) in one process; BullMQ job schedulers on the runs queue with REDIS_URL,
   * so that each firing is one job, run once by one worker however many app instances there are. */
  scheduler: DigestScheduler;
  /** Present when HUBSPOT_TOKEN is set. */
  hubspot?: HubspotClient;
  /** Present when SALESFORCE_CLIENT_ID (and its flow's credentials) is set. */
  salesforce?: SalesforceClient;
  /** The check every run makes before it searches (the model, HubSpot), cached briefly per process. */
  preflight: Preflight;
  /** Writes and reads back a value; for /healthz and start-up. */
  storeHealth(): Promise<HealthStatus>;
  /** Whether Redis answers (REDIS_URL mode); for /healthz. */
  redisHealth(): Promise<HealthStatus>;
  close(): Promise<void>;
}

export interface ServiceOptions {
  logger?: Logger;
  /** Where logs go when no logger is given (the CLI keeps standard output for results). */
  logDestination?: NodeJS.WritableStream;
  logLevel?: string;
  /** Metrics to record into (a test's own, or `disabledMetrics()`); a fresh registry by default. */
  metrics?: Metrics;
  /** Tests only: lets PAGE_READER=fetch reach their loopback fakes (no configuration variable can). */
  fetchReader?: Pick<FetchReaderOptions, 'testOnlyAllowedAddresses' | 'testOnlyResolve'>;
}

/** Wires clients with `createX(deps)` factories; nothing here runs at import time. */
export function createServices(config: Config, options: ServiceOptions = {}): Services {
  const profile = loadCompanyProfile(config.companyContextPath);
  ensureWritableDataDir(config.dataDir);
  const scrub = createScrubber(secretsOf(config));
  const logger =
    options.logger ??
    createLogger({
      level: options.logLevel ?? config.logLevel,
      scrub,
      destination: options.logDestination,
      format: config.logFormat,
    });
  const metrics = options.metrics ?? createMetrics();
  const redis = config.redis ? connectRedis(config.redis.url, { name: `leads-${process.pid}` }) : undefined;
  const namespace = config.redis?.prefix;
  const keyv = createKeyv(config.cacheUrl, { namespace, scrub });
  keyv.on('error', (error: unknown) => logger.error({ err: String(error) }, 'cache store error'));
  // Shared by processes, the run store has a connection of its own whose failed writes throw, so a checkpoint
  // that was not stored is an error rather than a silent gap.
  const runsKeyv = config.redis ? createKeyv(config.redis.url, { namespace, throwOnErrors: true, scrub }) : keyv;
  if (runsKeyv !== keyv)
    runsKeyv.on('error', (error: unknown) => logger.warn({ err: String(error) }, 'run store error'));
  const cache = new WorkCache(keyv, logger, metrics);
  const runs = config.redis ? new SharedRunStore(runsKeyv, logger, metrics) : new RunStore(keyv, logger, metrics);
  const shared = redis && config.redis ? { redis, prefix: config.redis.prefix } : undefined;
  const llm = createLlmFromConfig(config, { cache, logger, scrub, metrics, shared });
  const search = createSearchFromConfig(config, { cache, logger, metrics, scrub });
  const pages = createPageReaderFromConfig(config, { cache, logger, fetch: options.fetchReader, scrub });
  // Two presses of Send on two instances take turns, so the second finds the first's notes (a send takes seconds).
  const sendLock =
    redis && config.redis
      ? createRedisDocumentLock(redis, config.redis.prefix, { acquireTimeoutMs: 120_000 })
      : undefined;
  const hubspot = config.hubspot
    ? createHubspotClient({ ...config.hubspot, logger, scrub, ...(sendLock ? { lock: sendLock } : {}) })
    : undefined;
  const salesforce = config.salesforce ? createSalesforceClient({ ...config.salesforce, logger }) : undefined;
  // Every run asks the configured CRMs which candidates they already hold (the CLI's runs too).
  const crm: CrmDirectory[] = [
    ...(config.hubspot ? [cachedDirectory(createHubspotDirectory({ ...config.hubspot, logger }), cache)] : []),
    ...(salesforce ? [cachedDirectory(createSalesforceDirectory(salesforce), cache)] : []),
  ];
  // Before a run searches: does the model answer (a run cannot do without it), do the CRMs take our credentials (a
  // run goes on without them and says so; the log names what to fix). Once per process, briefly cached.
  const preflight = createPreflight(
    [
      { name: 'model', run: (signal) => llm.ping(signal) },
      ...(hubspot ? [{ name: 'HubSpot', required: false, run: (signal: AbortSignal) => hubspot.check(signal) }] : []),
      ...(salesforce
        ? [
            {
              name: 'Salesforce',
              required: false,
              run: (signal: AbortSignal) => checkSalesforce(salesforce, logger, signal),
            },
          ]
        : []),
    ],
    { onAdvice: (check, message) => logger.warn({ check, err: message }, `${check} failed the check before a run`) },
  );
  const orchestrator = createOrchestrator({
    llm,
    search,
    pages,
    cache,
    runs,
    profile,
    logger,
    dataDir: config.dataDir,
    scrub,
    metrics,
    crm,
    preflight,
  });
  // Workspace documents are updated by every app instance and worker in Redis mode: one writer at a time each.
  const lock = redis && config.redis ? createRedisDocumentLock(redis, config.redis.prefix) : undefined;
  const documents = { logger, ...(lock ? { lock } : {}) };
  const schedules = new ScheduleStore(keyv, documents);
  return {
    config,
    profile,
    logger,
    metrics,
    scrub,
    keyv,
    redis,
    cache,
    runs,
    llm,
    search,
    pages,
    orchestrator,
    feedback: new FeedbackStore(keyv, documents),
    schedules,
    recentRuns: new RecentRunsStore(keyv, documents),
    scheduler:
      redis && config.redis
        ? createBullScheduler({ redis, prefix: config.redis.prefix, queueName: RUNS_QUEUE, store: schedules, logger })
        : createCronerScheduler({ store: schedules, logger }),
    ...(hubspot ? { hubspot } : {}),
    ...(salesforce ? { salesforce } : {}),
    preflight,
    storeHealth: () => probeStore(keyv, config.cacheUrl),
    async redisHealth() {
      if (!redis) return { ok: true };
      return (await redisAnswers(redis))
        ? { ok: true }
        : { ok: false, problem: `Redis at ${describeRedisUrl(redis)} did not answer a PING` };
    },
    async close() {
      await llm.flush?.().catch(() => undefined);
      // Bounded: with Redis down, a polite disconnect would wait for it.
      await settleWithin(keyv.disconnect(), 2000);
      if (runsKeyv !== keyv) await settleWithin(runsKeyv.disconnect(), 2000);
      if (redis) await closeRedis(redis);
    },
  };
}

/** Salesforce takes our credentials (a login), for the check before a run: a refusal fails the run, naming what to
 * fix; Salesforce being down or limiting only logs, as for HubSpot. */
async function checkSalesforce(
  salesforce: SalesforceClient,
  logger: Pick<Logger, 'warn'>,
  signal: AbortSignal,
): Promise<void> {
  try {
    await salesforce.instanceUrl(signal);
  } catch (error) {
    if (error instanceof SalesforceError && (error.kind === 'unavailable' || error.kind === 'rate_limited')) {
      logger.warn({ err: error.message }, 'Salesforce did not answer the check before a run');
      return;
    }
    throw error;
  }
}
