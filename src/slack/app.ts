import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, webApi } from '@slack/bolt';
import type { HubspotClient } from '../crm/hubspot-client.js';
import type { SalesforceClient } from '../crm/salesforce-client.js';
import type { Orchestrator, StoredRun } from '../domain/types.js';
import { describeError } from '../errors.js';
import type { Metrics } from '../metrics/metrics.js';
import { metricsHandler } from '../metrics/metrics-server.js';
import type { JobQueue, JobWorker } from '../queue/jobs.js';
import { digestFiringJob, type DigestScheduler } from '../scheduling/types.js';
import type { Services } from '../services.js';
import type { AppSetup, ListenerDeps, WorkspaceState } from './deps.js';
import { digestFiringJobId, runJobId, type RunJob } from './input/run-job.js';
import { fetchCountingApiErrors } from './io/api-error-metrics.js';
import { boltLoggerFrom } from './io/bolt-logger.js';
import { surfaceOf, timeAcks } from './io/delivery-metrics.js';
import { healthzHandler, type HealthChecks } from './io/healthz.js';
import { gatedFetch } from './io/rate-limit-gate.js';
import { fetchSlackIdentity, isOwnWorkspace, startupError, type SlackIdentity } from './io/slack-identity.js';
import { createJobDeps, jobPartsOf } from './jobs/job-deps.js';
import { createRunJobHandler } from './jobs/run-job.js';
import { registerListeners } from './listeners/index.js';
import { describeSetup } from './describe-setup.js';
import { createSharedParts, type SharedParts } from './shared-parts.js';
import { createBackgroundTasks } from './state/background.js';
import { trackDeliveries } from './state/deliveries-in-flight.js';
import { interruptCutOffRuns, tellThreadsOfInterruptedRuns } from './workflows/recover-interrupted.js';

/** The services the Slack app is built from (`createServices`): each is the production part of the app. */
export type SlackServices = Pick<
  Services,
  | 'config'
  | 'logger'
  | 'orchestrator'
  | 'profile'
  | 'scrub'
  | 'metrics'
  | 'redis'
  | 'llm'
  | 'feedback'
  | 'schedules'
  | 'recentRuns'
  | 'scheduler'
  | 'hubspot'
  | 'salesforce'
  | 'storeHealth'
  | 'redisHealth'
>;

/** What a test (or the benchmark) puts in place of a production part; everything not named comes from the services. */
export interface SlackAppOverrides {
  /** A scripted pipeline, say. */
  orchestrator?: Orchestrator;
  /** Who the bot token belongs to; looked up with auth.test at start when not given. */
  identity?: SlackIdentity;
  /** Feedback, schedules and recent runs, in place of the services' stores. */
  workspace?: WorkspaceState;
  /** Fires digests when the test says, in place of the services' scheduler. */
  scheduler?: DigestScheduler;
  hubspot?: HubspotClient;
  salesforce?: SalesforceClient;
  /** GET /healthz's and App Home's probes, in place of pinging the model and the store. */
  health?: Omit<HealthChecks, 'queue'>;
  /** How the app is set up, for App Home, in place of the configuration's description. */
  setup?: AppSetup;
  metrics?: Metrics;
  /** WebClient retries (429s always wait for Retry-After first). */
  retryConfig?: webApi.RetryOptions;
  /** Least time between two progress updates of one message (Slack allows about one per second). */
  progressIntervalMs?: number;
  now?: () => Date;
}

/** The running app as main.ts and the tests drive it. */
export interface SlackApp {
  app: App;
  mode: 'socket' | 'http';
  /** Marks runs a stopped process cut off as interrupted (single-process mode), starts listening, then tells their
   * threads (with Run again); in HTTP mode resolves with the bound port (PORT=0 picks a free one). */
  start(): Promise<{ port?: number }>;
  /** Stops receiving, lets acks and enqueues in flight finish, then gives runs in this process up to `drainMs`
   * (in Redis mode, what is still running then goes back to the queue for another worker). */
  stop(options?: { drainMs?: number }): Promise<void>;
  /** Resolves when no run, re-score or export is in progress or waiting (tests, shutdown). */
  idle(timeoutMs?: number): Promise<void>;
  /** The queue runs go to (in-process or `leads-runs`), for its counts. */
  jobs: JobQueue<RunJob>;
  /** What this app shares with other instances and workers (in Redis with REDIS_URL). */
  shared: SharedParts;
}

/** Retries sized for Slack: a few quick attempts for 5xx and network errors; a 429 waits Retry-After. */
export const DEFAULT_RETRY_CONFIG: webApi.RetryOptions = {
  retries: 5,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 10_000,
  randomize: true,
};

/**
 * Builds the Bolt app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP) with every listener registered, from the
 * services' production parts; `overrides` replaces any of them (tests, the benchmark).
 */
export function createSlackApp(services: SlackServices, overrides: SlackAppOverrides = {}): SlackApp {
  const { config, logger } = services;
  const { slack } = config;
  if (!slack.botToken || !slack.signingSecret)
    throw new Error(
      'createSlackApp needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (call requireSlackCredentials first)',
    );
  const socketMode = Boolean(slack.appToken);
  const tasks = createBackgroundTasks(logger);
  const metrics = overrides.metrics ?? services.metrics;
  const shared = createSharedParts(services, metrics);
  const { jobs } = shared;
  const health: HealthChecks = {
    ...(overrides.health ?? productionHealth(services)),
    queue: () => jobs.counts(),
  };
  const customRoutes = [
    { path: '/healthz', method: ['GET'], handler: healthzHandler(health) },
    // Prometheus scrapes the app where Slack reaches it, unless METRICS_PORT keeps /metrics on a port of its own.
    ...(config.metricsPort === undefined
      ? [{ path: '/metrics', method: ['GET'], handler: metricsHandler(metrics.registry) }]
      : []),
  ];
  const app = new App({
    token: slack.botToken,
    signingSecret: slack.signingSecret,
    ...(socketMode ? { socketMode: true, appToken: slack.appToken } : { port: slack.port, customRoutes }),
    logger: boltLoggerFrom(logger),
    clientOptions: {
      slackApiUrl: slack.apiUrl,
      retryConfig: overrides.retryConfig ?? DEFAULT_RETRY_CONFIG,
      // Every Web API call of every client Bolt makes waits out a 429 that any process has seen for its method,
      // and each failed call is counted.
      fetch: gatedFetch(shared.rateGate, fetchCountingApiErrors(metrics, slack.apiUrl)),
    },
    processBeforeResponse: false,
    // Initialised in start(), so a bad token or an unreachable Slack is an error we report, not an unhandled rejection.
    deferInitialization: true,
  });
  let identity = overrides.identity;
  // Refuse anything from a workspace other than the token's before any listener sees it.
  app.use(async (args) => {
    const context = args.context as { teamId?: string; enterpriseId?: string };
    if (identity && isOwnWorkspace(identity, context)) return args.next();
    logger.warn(
      { teamId: context.teamId, enterpriseId: context.enterpriseId },
      'refused a request from another workspace',
    );
    const surface = surfaceOf(args);
    if (surface) metrics.slackRequest(surface, 'refused');
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    if (ack)
      await ack(
        'command' in args
          ? { response_type: 'ephemeral', text: 'Leads is not installed for this workspace, so it did nothing.' }
          : undefined,
      );
  });
  timeAcks(app, metrics);
  const deliveries = trackDeliveries(app);
  const parts = jobPartsOf(services);
  const workspace = overrides.workspace ?? parts.workspace;
  const hubspot = overrides.hubspot ?? parts.hubspot;
  const salesforce = overrides.salesforce ?? parts.salesforce;
  // The digest scheduler is the services' (chosen once, by the wiring): in-process timers, or BullMQ's on Redis.
  const scheduler = overrides.scheduler ?? services.scheduler;
  const jobDeps = createJobDeps(
    {
      ...parts,
      orchestrator: overrides.orchestrator ?? parts.orchestrator,
      workspace,
      ...(hubspot ? { hubspot } : {}),
      ...(salesforce ? { salesforce } : {}),
    },
    shared,
    app.client,
    { progressIntervalMs: overrides.progressIntervalMs, now: overrides.now },
  );
  const handler = createRunJobHandler(jobDeps);
  const runsJobsHere = !shared.inRedis || config.jobs.workers === 'inline';
  let worker: JobWorker | undefined;
  const listenerDeps: ListenerDeps = {
    ...jobDeps,
    tasks,
    jobs,
    allowedBots: new Set(slack.allowedBots),
    metrics,
    scheduler,
    scheduleTimezone: config.schedules.timezone,
    setup: overrides.setup ?? describeSetup(config),
    health,
  };
  registerListeners(app, listenerDeps);
  app.error(async (error) => {
    logger.error({ err: error.message, code: (error as { code?: string }).code }, 'unhandled Slack listener error');
  });

  let started = false;
  return {
    app,
    mode: socketMode ? 'socket' : 'http',
    jobs,
    shared,
    async start() {
      // Whose token this is, first and with few retries: a rejected token or an unreachable Slack stops start-up.
      identity ??= await fetchSlackIdentity(slack.botToken as string, slack.apiUrl);
      try {
        await app.init();
      } catch (error) {
        throw startupError(error, 'SLACK_BOT_TOKEN', slack.apiUrl);
      }
      // Runs cut off by a restart are marked before anything is received, so none of this process's own runs is
      // caught. With Redis, a Slack run whose job is still queued or running is not cut off (a worker resumes it);
      // one whose job is gone (Redis lost its data, say) is.
      const stillGoing = shared.inRedis
        ? (run: StoredRun) => (run.origin.kind === 'slack' ? jobs.isKnown(runJobId(run.runId)) : Promise.resolve(false))
        : undefined;
      const interrupted = await interruptCutOffRuns(listenerDeps, stillGoing);
      let server: Server | undefined;
      try {
        server = (await app.start()) as Server | undefined;
      } catch (error) {
        // In Socket Mode the app-level token is first used here (apps.connections.open).
        throw socketMode && (error as { code?: string }).code === webApi.ErrorCode.PlatformError
          ? startupError(error, 'SLACK_APP_TOKEN', slack.apiUrl)
          : error;
      }
      started = true;
      if (runsJobsHere) worker = jobs.startWorker(handler);
      // Digests fire only once the app can post. In-process timers hand each firing to the job queue, the path BullMQ's
      // job schedulers take in Redis mode (where Redis keeps the time and one worker takes each firing), so a digest
      // runs in the same handler either way and shutdown waits for it like for any job.
      await scheduler.start(async (firing) => {
        const job = digestFiringJob({ scope: firing.scope, id: firing.scheduleId });
        await jobs
          .enqueue(digestFiringJobId(job, firing.firedAt), job)
          .catch((error: unknown) =>
            logger.error({ scheduleId: firing.scheduleId, err: String(error) }, 'could not queue a digest firing'),
          );
      });
      if (interrupted.length > 0) {
        tasks.run('tell threads of interrupted runs', () =>
          tellThreadsOfInterruptedRuns(
            { client: app.client, scrub: listenerDeps.scrub, logger, dedupe: listenerDeps.dedupe },
            interrupted,
          ),
        );
      }
      const address = !socketMode ? (server?.address() as AddressInfo | null) : null;
      return address ? { port: address.port } : {};
    },
    async stop(options = {}) {
      const drainMs = options.drainMs ?? config.shutdownGraceMs;
      const deadline = Date.now() + drainMs;
      await scheduler.stop();
      if (started) {
        started = false;
        // No new deliveries; requests already received are answered.
        await app
          .stop()
          .catch((error: unknown) => logger.warn({ err: String(error) }, 'stopping the Slack receiver failed'));
      }
      // Listeners still at work queue theirs (an event's listener runs after its ack), then queued work goes out.
      await deliveries.idle(drainMs);
      await tasks.idle(Math.max(0, deadline - Date.now()));
      await worker?.stop(Math.max(0, deadline - Date.now()));
      await shared.close().catch((error: unknown) => logger.warn({ err: String(error) }, 'closing the queue failed'));
    },
    async idle(timeoutMs = Number.POSITIVE_INFINITY) {
      const deadline = Date.now() + timeoutMs;
      await deliveries.idle(timeoutMs);
      await tasks.idle(Math.max(0, deadline - Date.now()));
      // Until the queue has nothing waiting or running (whichever process runs it).
      await jobs.idle(Math.max(0, deadline - Date.now()));
    },
  };
}

/** GET /healthz's probes of the production parts: the model answers, the store keeps a write, Redis answers. */
function productionHealth(services: SlackServices): Omit<HealthChecks, 'queue'> {
  return {
    llm: () =>
      services.llm.ping(AbortSignal.timeout(4000)).then(
        () => ({ ok: true }),
        (error: unknown) => ({ ok: false, problem: describeError(error) }),
      ),
    store: () => services.storeHealth(),
    ...(services.redis ? { redis: () => services.redisHealth() } : {}),
  };
}
