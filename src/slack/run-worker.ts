import { webApi } from '@slack/bolt';
import type { Services } from '../services.js';
import type { JobWorker } from '../queue/jobs.js';
import { DEFAULT_RETRY_CONFIG } from './app.js';
import { fetchCountingApiErrors } from './io/api-error-metrics.js';
import { boltLoggerFrom } from './io/bolt-logger.js';
import { gatedFetch } from './io/rate-limit-gate.js';
import { createJobDeps, jobPartsOf } from './jobs/job-deps.js';
import { createRunJobHandler } from './jobs/run-job.js';
import type { SharedParts } from './shared-parts.js';

/**
 * A worker: takes runs, re-scores and digest firings from the `leads-runs` queue and posts their progress and
 * results to Slack itself, with the Web API and the bot token, throttled per message and holding back on any
 * process's 429. Its run lines carry runId, stage and team like an in-process run's.
 */
export function startRunWorker(
  services: Services & { config: { slack: { botToken: string } } },
  shared: SharedParts,
  options: { progressIntervalMs?: number } = {},
): JobWorker {
  const { config, logger } = services;
  const client = new webApi.WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: DEFAULT_RETRY_CONFIG,
    // Like the app's clients: waits out any process's 429 for the method, and counts every failed call.
    fetch: gatedFetch(shared.rateGate, fetchCountingApiErrors(services.metrics, config.slack.apiUrl)),
    logger: boltLoggerFrom(logger),
  });
  const deps = createJobDeps(jobPartsOf(services), shared, client, options);
  return shared.jobs.startWorker(createRunJobHandler(deps));
}
