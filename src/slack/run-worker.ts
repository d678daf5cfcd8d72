import { webApi } from '@slack/bolt';
import type { Services } from '../services.js';
import type { JobWorker } from '../queue/jobs.js';
import { DEFAULT_RETRY_CONFIG } from './app.js';
import { fetchCountingApiErrors } from './io/api-error-metrics.js';
import { boltLoggerFrom } from './io/bolt-logger.js';
import { gatedFetch } from './io/rate-limit-gate.js';
import type { ScaleOut } from './scale-out.js';
import { createRunJobHandler } from './workflows/run-job.js';

/**
 * A worker: takes runs and re-scores from the `leads-runs` queue and posts their progress and results to Slack
 * itself, with the Web API and the bot token, throttled per message and holding back on any process's 429. Its run
 * lines carry runId, stage and team like an in-process run's.
 */
export function startRunWorker(
  services: Services & { config: { slack: { botToken: string } } },
  scaleOut: ScaleOut,
  options: { progressIntervalMs?: number } = {},
): JobWorker {
  const { config, logger } = services;
  const client = new webApi.WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: DEFAULT_RETRY_CONFIG,
    // Like the app's clients: waits out any process's 429 for the method, and counts every failed call.
    fetch: gatedFetch(scaleOut.rateGate, fetchCountingApiErrors(services.metrics, config.slack.apiUrl)),
    logger: boltLoggerFrom(logger),
  });
  const handler = createRunJobHandler({
    orchestrator: services.orchestrator,
    logger,
    companyName: services.profile.company.name,
    scrub: services.scrub,
    progressIntervalMs: options.progressIntervalMs ?? 1000,
    now: () => new Date(),
    dedupe: scaleOut.dedupe,
    active: scaleOut.active,
    client,
    // The workspace's feedback steers scoring and hides companies, scheduled results answer at once, runs are listed
    // on App Home; all of it in Redis, like the app's.
    workspace: { feedback: services.feedback, schedules: services.schedules, recentRuns: services.recentRuns },
    ...(services.hubspot ? { hubspot: services.hubspot } : {}),
    ...(services.salesforce ? { salesforce: services.salesforce } : {}),
  });
  return scaleOut.startWorker(handler, logger);
}
