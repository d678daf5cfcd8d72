import { environmentWithDotEnv, loadConfig, requireWorkerConfig } from './config.js';
import { isEntryPoint } from './entry-point.js';
import { ConfigError, describeError } from './errors.js';
import { startMetricsServer, type MetricsServer } from './metrics/metrics-server.js';
import { createServices, type Services } from './services.js';
import { startRunWorker } from './slack/run-worker.js';
import { createSharedParts, type SharedParts } from './slack/shared-parts.js';
import { untilSignal } from './slack/shutdown.js';
import { redisReady } from './store/redis.js';
import type { JobWorker } from './queue/jobs.js';

/** `npm run worker`: runs requests from the `leads-runs` queue until SIGTERM, then finishes or hands back its jobs
 * within SHUTDOWN_GRACE_MS. With METRICS_PORT set it serves /metrics there (a worker has no other HTTP server).
 * Returns the exit code: 2 for configuration problems, 1 for a start-up failure. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let services: Services;
  let config;
  try {
    config = loadConfig(environmentWithDotEnv(env));
    requireWorkerConfig(config);
    services = createServices(config);
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
  const { logger } = services;
  let shared: SharedParts | undefined;
  let metricsServer: MetricsServer | undefined;
  let worker: JobWorker;
  try {
    await redisReady(services.redis!);
    shared = createSharedParts(services, services.metrics);
    if (config.metricsPort !== undefined)
      metricsServer = await startMetricsServer(config.metricsPort, services.metrics.registry);
    worker = startRunWorker({ ...services, config }, shared);
    const metrics = metricsServer ? `/metrics on port ${metricsServer.port}` : 'off (set METRICS_PORT)';
    logger.info(
      { queue: 'leads-runs', concurrency: config.jobs.concurrency, llmConcurrency: config.llm.concurrency, metrics },
      'Leads worker is taking jobs',
    );
  } catch (error) {
    logger.error({ err: describeError(error) }, 'the worker could not start');
    process.stderr.write(`The worker could not start: ${describeError(error)}\n`);
    await metricsServer?.close();
    await shared?.close().catch(() => undefined);
    await services.close();
    return 1;
  }
  const signal = await untilSignal();
  logger.info(
    { signal, graceMs: config.shutdownGraceMs },
    'shutting down: no new jobs; finishing or handing back jobs in progress',
  );
  await worker.stop(config.shutdownGraceMs);
  await shared.close().catch(() => undefined);
  await metricsServer?.close();
  await services.close();
  logger.info('stopped');
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${describeError(error)}\n`);
      process.exit(1);
    },
  );
}
