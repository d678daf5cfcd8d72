import { environmentWithDotEnv, loadConfig, requireSlackCredentials } from '../config.js';
import { isEntryPoint } from '../entry-point.js';
import { ConfigError, describeError } from '../errors.js';
import { startMetricsServer, type MetricsServer } from '../metrics/metrics-server.js';
import { createServices, type Services } from '../services.js';
import { redisReady } from '../store/redis.js';
import { createSlackApp, type SlackApp } from './app.js';
import { untilSignal } from './shutdown.js';

/** `npm start`: validates configuration, builds the services, and runs the Slack app until a signal stops it.
 * Without REDIS_URL it runs every request itself; with it, it acks and queues requests (and runs jobs too when
 * WORKERS=inline). Returns the exit code: 2 for configuration problems, 1 for a start-up failure. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let services: Services;
  try {
    const config = loadConfig(environmentWithDotEnv(env));
    requireSlackCredentials(config);
    services = createServices(config);
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
  const { config, logger } = services;
  let slack: SlackApp | undefined;
  let metricsServer: MetricsServer | undefined;
  try {
    if (services.redis) await redisReady(services.redis);
    slack = createSlackApp(services);
    if (!slack.shared.inRedis && config.jobs.workers === 'external') {
      logger.warn(
        'WORKERS=external needs REDIS_URL (workers take jobs from Redis); without it this process runs every request itself',
      );
    }
    // Socket Mode has no HTTP server of its own, so /metrics needs METRICS_PORT; in HTTP mode it moves there when set.
    if (config.metricsPort !== undefined)
      metricsServer = await startMetricsServer(config.metricsPort, services.metrics.registry);
    const { port } = await slack.start();
    const metrics = metricsServer
      ? `/metrics on port ${metricsServer.port}`
      : slack.mode === 'http'
        ? `/metrics on port ${port}`
        : 'off (set METRICS_PORT)';
    const mode = slack.shared.inRedis ? { redis: true, workers: config.jobs.workers } : { redis: false };
    logger.info(
      slack.mode === 'socket'
        ? { mode: 'socket', metrics, ...mode }
        : { mode: 'http', port, events: '/slack/events', health: '/healthz', metrics, ...mode },
      slack.mode === 'socket' ? 'Leads is connected to Slack (Socket Mode)' : `Leads is listening on port ${port}`,
    );
  } catch (error) {
    logger.error({ err: describeError(error) }, 'the Slack app could not start');
    process.stderr.write(`The Slack app could not start: ${describeError(error)}\n`);
    await metricsServer?.close();
    await slack?.shared.close().catch(() => undefined);
    await services.close();
    return error instanceof ConfigError ? 2 : 1;
  }
  const signal = await untilSignal();
  logger.info(
    { signal, graceMs: config.shutdownGraceMs },
    'shutting down: no new requests; finishing acks and runs in progress',
  );
  // Stopping the app also closes its queue.
  await slack.stop({ drainMs: config.shutdownGraceMs });
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
