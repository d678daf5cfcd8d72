import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, webApi } from '@slack/bolt';
import Keyv from 'keyv';
import type { HubspotClient } from '../crm/hubspot-client.js';
import type { SalesforceClient } from '../crm/salesforce-client.js';
import { createCronerScheduler } from '../scheduling/croner-scheduler.js';
import { digestFiringJob, type DigestScheduler } from '../scheduling/types.js';
import { FeedbackStore } from '../store/feedback-store.js';
import { RecentRunsStore } from '../store/recent-runs-store.js';
import { ScheduleStore } from '../store/schedule-store.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { disabledMetrics, type Metrics } from '../metrics/metrics.js';
import { metricsHandler } from '../metrics/metrics-server.js';
import type { Orchestrator, StoredRun } from '../domain/types.js';
import type { JobQueue, JobWorker } from '../queue/jobs.js';
import type { Scrubber } from '../secrets.js';
import { createActiveRuns } from './state/active-runs.js';
import { createBackgroundTasks } from './state/background.js';
import { trackDeliveries } from './state/deliveries-in-flight.js';
import { boltLoggerFrom } from './io/bolt-logger.js';
import { createDeliveryDedupe, type DeliveryDedupe } from './state/dedupe.js';
import type { AppSetup, JobDeps, ListenerDeps, WorkspaceState } from './deps.js';
import { healthzHandler, type HealthChecks } from './io/healthz.js';
import { fetchSlackIdentity, isOwnWorkspace, startupError, type SlackIdentity } from './io/slack-identity.js';
import { fetchCountingApiErrors } from './io/api-error-metrics.js';
import { surfaceOf, timeAcks } from './io/delivery-metrics.js';
import { createMemoryRateGate, gatedFetch } from './io/rate-limit-gate.js';
import { digestFiringJobId, runJobId, type RunJob } from './input/run-job.js';
import { registerListeners } from './listeners/index.js';
import type { ScaleOut } from './scale-out.js';
import { createInProcessJobs, type InProcessJobs } from './state/in-process-jobs.js';
import { createRunJobHandler } from './workflows/run-job.js';
import { interruptCutOffRuns, tellThreadsOfInterruptedRuns } from './workflows/recover-interrupted.js';

/** Everything the Slack app needs; the pipeline comes in as an Orchestrator, nothing else of it. */
export interface SlackAppDeps {
  /** With `metricsPort` set, /metrics is served there (by the entry point) instead of on the HTTP port. */
  config: Pick<Config, 'slack' | 'metricsPort'> & Partial<Pick<Config, 'jobs' | 'shutdownGraceMs' | 'schedules'>>;
  /** Who the bot token belongs to; looked up with auth.test at start when not given (tests may pass it). */
  identity?: SlackIdentity;
  orchestrator: Orchestrator;
  logger: Logger;
  /** The profile's company name, for titles ("Finding customers for AxleWave…"). */
  companyName: string;
  /** Removes secrets from every outgoing message; defaults to no change. */
  scrub?: Scrubber;
  /** GET /healthz in HTTP mode; without it the route reports only that the app is up. */
  health?: HealthChecks;
  /** WebClient retries (429s always wait for Retry-After first). */
  retryConfig?: webApi.RetryOptions;
  /** Least time between two progress updates of one message (Slack allows about one per second). */
  progressIntervalMs?: number;
  now?: () => Date;
  dedupe?: DeliveryDedupe;
  /** REDIS_URL mode: shared state and the job queue; without it, runs execute in this process. */
  scaleOut?: ScaleOut;
  /** Slack deliveries, acks and Web API errors are recorded here; in HTTP mode GET /metrics serves its registry. */
  metrics?: Metrics;
  /** Feedback, schedules and recent runs; defaults to stores in memory (tests, previews). */
  workspace?: WorkspaceState;
  /** Fires digests; defaults to BullMQ job schedulers with `scaleOut`, else in-process timers over `workspace.schedules`. */
  scheduler?: DigestScheduler;
  /** Present when HUBSPOT_TOKEN is set. */
  hubspot?: HubspotClient;
  /** Present when SALESFORCE_CLIENT_ID is set. */
  salesforce?: SalesforceClient;
  /** How the app is set up, for App Home's health section. */
  setup?: AppSetup;
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
}

/** Retries sized for Slack: a few quick attempts for 5xx and network errors; a 429 waits Retry-After. */
export const DEFAULT_RETRY_CONFIG: webApi.RetryOptions = {
  retries: 5,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 10_000,
  randomize: true,
};

/** Builds the Bolt app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP) with every listener registered. */
export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { slack } = deps.config;
  if (!slack.botToken || !slack.signingSecret)
    throw new Error(
      'createSlackApp needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (call requireSlackCredentials first)',
    );
  const socketMode = Boolean(slack.appToken);
  const { scaleOut } = deps;
  const tasks = createBackgroundTasks(deps.logger);
  const health: HealthChecks = {
    ...(deps.health ?? { llm: async () => ({ ok: true }), store: async () => ({ ok: true }) }),
    queue: () => jobs.counts(),
  };
  const metrics = deps.metrics ?? disabledMetrics();
  const customRoutes = [
    { path: '/healthz', method: ['GET'], handler: healthzHandler(health) },
    // Prometheus scrapes the app where Slack reaches it, unless METRICS_PORT keeps /metrics on a port of its own.
    ...(deps.config.metricsPort === undefined
      ? [{ path: '/metrics', method: ['GET'], handler: metricsHandler(metrics.registry) }]
      : []),
  ];
  const app = new App({
    token: slack.botToken,
    signingSecret: slack.signingSecret,
    ...(socketMode ? { socketMode: true, appToken: slack.appToken } : { port: slack.port, customRoutes }),
    logger: boltLoggerFrom(deps.logger),
    clientOptions: {
      slackApiUrl: slack.apiUrl,
      retryConfig: deps.retryConfig ?? DEFAULT_RETRY_CONFIG,
      // Every Web API call of every client Bolt makes waits out a 429 that any process has seen for its method,
      // and each failed call is counted.
      fetch: gatedFetch(scaleOut?.rateGate ?? createMemoryRateGate(), fetchCountingApiErrors(metrics, slack.apiUrl)),
    },
    processBeforeResponse: false,
    // Initialised in start(), so a bad token or an unreachable Slack is an error we report, not an unhandled rejection.
    deferInitialization: true,
  });
  let identity = deps.identity;
  // Refuse anything from a workspace other than the token's before any listener sees it.
  app.use(async (args) => {
    const context = args.context as { teamId?: string; enterpriseId?: string };
    if (identity && isOwnWorkspace(identity, context)) return args.next();
    deps.logger.warn(
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
  const workspace = deps.workspace ?? workspaceInMemory(deps.logger);
  const scheduler =
    deps.scheduler ??
    scaleOut?.digestScheduler(workspace.schedules, deps.logger) ??
    createCronerScheduler({ store: workspace.schedules, logger: deps.logger });
  const jobDeps: JobDeps = {
    orchestrator: deps.orchestrator,
    logger: deps.logger,
    companyName: deps.companyName,
    scrub: deps.scrub ?? ((text) => text),
    progressIntervalMs: deps.progressIntervalMs ?? 1000,
    now: deps.now ?? (() => new Date()),
    dedupe: scaleOut?.dedupe ?? deps.dedupe ?? createDeliveryDedupe(),
    active: scaleOut?.active ?? createActiveRuns(),
    client: app.client,
    workspace,
    ...(deps.hubspot ? { hubspot: deps.hubspot } : {}),
    ...(deps.salesforce ? { salesforce: deps.salesforce } : {}),
  };
  const handler = createRunJobHandler(jobDeps);
  const inProcess: InProcessJobs<RunJob> | undefined = scaleOut ? undefined : createInProcessJobs(handler, deps.logger);
  const jobs: JobQueue<RunJob> = scaleOut?.queue ?? (inProcess as InProcessJobs<RunJob>);
  const runsJobsHere = !scaleOut || (deps.config.jobs?.workers ?? 'inline') === 'inline';
  let worker: JobWorker | undefined = inProcess;
  const listenerDeps: ListenerDeps = {
    ...jobDeps,
    tasks,
    jobs,
    allowedBots: new Set(slack.allowedBots),
    metrics,
    scheduler,
    scheduleTimezone: deps.config.schedules?.timezone ?? 'UTC',
    setup: deps.setup ?? { model: 'not described', search: [], store: 'in memory' },
    health,
  };
  registerListeners(app, listenerDeps);
  app.error(async (error) => {
    deps.logger.error(
      { err: error.message, code: (error as { code?: string }).code },
      'unhandled Slack listener error',
    );
  });

  let started = false;
  return {
    app,
    mode: socketMode ? 'socket' : 'http',
    jobs,
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
      const stillGoing = scaleOut
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
      if (scaleOut && runsJobsHere) worker = scaleOut.startWorker(handler, deps.logger);
      // Digests fire only once the app can post. In-process timers hand each firing to the job queue, the path BullMQ's
      // job schedulers take in Redis mode (where Redis keeps the time and one worker takes each firing), so a digest
      // runs in the same handler either way and shutdown waits for it like for any job.
      await scheduler.start(async (firing) => {
        const job = digestFiringJob({ scope: firing.scope, id: firing.scheduleId });
        await jobs
          .enqueue(digestFiringJobId(job, firing.firedAt), job)
          .catch((error: unknown) =>
            deps.logger.error({ scheduleId: firing.scheduleId, err: String(error) }, 'could not queue a digest firing'),
          );
      });
      if (interrupted.length > 0) {
        tasks.run('tell threads of interrupted runs', () =>
          tellThreadsOfInterruptedRuns(
            { client: app.client, scrub: listenerDeps.scrub, logger: deps.logger, dedupe: listenerDeps.dedupe },
            interrupted,
          ),
        );
      }
      const address = !socketMode ? (server?.address() as AddressInfo | null) : null;
      return address ? { port: address.port } : {};
    },
    async stop(options = {}) {
      const drainMs = options.drainMs ?? deps.config.shutdownGraceMs ?? 10_000;
      const deadline = Date.now() + drainMs;
      await scheduler.stop();
      if (started) {
        started = false;
        // No new deliveries; requests already received are answered.
        await app
          .stop()
          .catch((error: unknown) => deps.logger.warn({ err: String(error) }, 'stopping the Slack receiver failed'));
      }
      // Listeners still at work queue theirs (an event's listener runs after its ack), then queued work goes out.
      await deliveries.idle(drainMs);
      await tasks.idle(Math.max(0, deadline - Date.now()));
      await worker?.stop(Math.max(0, deadline - Date.now()));
    },
    async idle(timeoutMs = Number.POSITIVE_INFINITY) {
      const deadline = Date.now() + timeoutMs;
      await deliveries.idle(timeoutMs);
      await tasks.idle(Math.max(0, deadline - Date.now()));
      if (inProcess) return inProcess.idle(Math.max(0, deadline - Date.now()));
      // Redis mode: until the queue has nothing waiting or running (whichever worker runs it).
      while (Date.now() < deadline) {
        const counts = await Promise.race([
          jobs.counts().catch(() => undefined),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000)),
        ]);
        if (counts && counts.waiting + counts.active + counts.delayed === 0 && (worker?.active() ?? 0) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** Stores on an in-memory Keyv, for an app built without shared state (tests, previews): nothing outlives it. */
function workspaceInMemory(logger: Logger): WorkspaceState {
  const keyv = new Keyv();
  return {
    feedback: new FeedbackStore(keyv, { logger }),
    schedules: new ScheduleStore(keyv, { logger }),
    recentRuns: new RecentRunsStore(keyv, { logger }),
  };
}
