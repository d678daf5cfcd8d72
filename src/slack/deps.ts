import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Orchestrator } from '../domain/types.js';
import type { Scrubber } from '../secrets.js';
import type { ActiveRuns } from './state/active-runs.js';
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
  dedupe: DeliveryDedupe;
  active: ActiveRuns;
  tasks: BackgroundTasks;
  /** Bot ids whose @mentions are answered (SLACK_ALLOWED_BOTS); every other bot is ignored. */
  allowedBots: ReadonlySet<string>;
  /** Where listeners' outcomes are counted. */
  metrics: Pick<Metrics, 'slackRequest'>;
}

/** The Web API client Bolt hands to listeners. */
export type SlackClient = webApi.WebClient;
