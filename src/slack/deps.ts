import type { webApi } from '@slack/bolt';
import type { HubspotClient } from '../crm/hubspot-client.js';
import type { SalesforceClient } from '../crm/salesforce-client.js';
import type { DigestScheduler } from '../scheduling/types.js';
import type { FeedbackStore } from '../store/feedback-store.js';
import type { RecentRunsStore } from '../store/recent-runs-store.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import type { HealthChecks } from './io/healthz.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Orchestrator } from '../domain/types.js';
import type { JobQueue } from '../queue/jobs.js';
import type { Scrubber } from '../secrets.js';
import type { RunJob } from './input/run-job.js';
import type { ActiveRunRegistry } from './state/active-runs.js';
import type { BackgroundTasks } from './state/background.js';
import type { DeliveryDedupe } from './state/dedupe.js';

/** What every listener receives: the pipeline, plus the app's own bookkeeping. */
export interface ListenerDeps {
  orchestrator: Orchestrator;
  logger: Logger;
  /** The profile's company ("AxleWave"), for titles. */
  companyName: string;
  scrub: Scrubber;
  /** Least time between two updates of the progress message. */
  progressIntervalMs: number;
  now: () => Date;
  /** Delivery ids seen (in this process, or in Redis across instances). */
  dedupe: DeliveryDedupe;
  /** One run in progress per person (in this process, or in Redis across instances and workers). */
  active: ActiveRunRegistry;
  tasks: BackgroundTasks;
  /** Where runs and re-scores go: this process, or the `leads-runs` queue that workers take them from. */
  jobs: JobQueue<RunJob>;
  /** Bot ids whose @mentions are answered (SLACK_ALLOWED_BOTS); every other bot is ignored. */
  allowedBots: ReadonlySet<string>;
  /** Where listeners' outcomes are counted. */
  metrics: Pick<Metrics, 'slackRequest'>;
  /** The workspace's shared state: feedback, schedules (with digest memory and latest results), recent runs. */
  workspace: WorkspaceState;
  scheduler: DigestScheduler;
  /** Time zone new schedules are read in (SCHEDULE_TIMEZONE). */
  scheduleTimezone: string;
  /** Present when HUBSPOT_TOKEN is set: results offer "Send to HubSpot". */
  hubspot?: HubspotClient;
  /** Present when SALESFORCE_CLIENT_ID is set: results offer "Send to Salesforce". */
  salesforce?: SalesforceClient;
  /** What App Home's health section reports. */
  setup: AppSetup;
  health: HealthChecks;
}

/** Per-workspace state the sales loop keeps (Keyv: SQLite in one process, Redis when shared). */
export interface WorkspaceState {
  feedback: FeedbackStore;
  schedules: ScheduleStore;
  recentRuns: RecentRunsStore;
}

/** How the app is set up, in words for App Home ("ollama llama3.1:8b at http://…", "sqlite data/cache.sqlite"). */
export interface AppSetup {
  model: string;
  search: string[];
  store: string;
  hubspot?: string;
  salesforce?: string;
}

/** What a run or re-score job needs (the workspace's feedback, schedules and recent runs, HubSpot for the result's
 * button); a worker process has no Bolt app, only a Web API client of its own. */
export type JobDeps = Pick<
  ListenerDeps,
  | 'orchestrator'
  | 'logger'
  | 'companyName'
  | 'scrub'
  | 'progressIntervalMs'
  | 'now'
  | 'dedupe'
  | 'active'
  | 'workspace'
  | 'hubspot'
  | 'salesforce'
> & {
  client: SlackClient;
};

/** The Web API client Bolt hands to listeners. */
export type SlackClient = webApi.WebClient;
