import { environmentWithDotEnv, loadConfig, requireSlackCredentials } from '../config.js';
import { isEntryPoint } from '../entry-point.js';
import { ConfigError, describeError } from '../errors.js';
import { startMetricsServer, type MetricsServer } from '../metrics/metrics-server.js';
import { createServices, type Services } from '../services.js';
import { createSlackApp, type SlackApp } from './app.js';

/** `npm start`: validates configuration, builds the services, and runs the Slack app until a signal stops it.
 * Returns the exit code: 2 for configuration problems, 1 for a start-up failure. */
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
  let slack: SlackApp;
  let metricsServer: MetricsServer | undefined;
  try {
    slack = createSlackApp({
      config,
      orchestrator: services.orchestrator,
      metrics: services.metrics,
      logger,
      companyName: services.profile.company.name,
      scrub: services.scrub,
      health: {
        llm: () => services.llm.ping(AbortSignal.timeout(4000)).then(() => ({ ok: true }), (error: unknown) => ({ ok: false, problem: describeError(error) })),
        store: () => services.storeHealth(),
      },
    });
    // Socket Mode has no HTTP server of its own, so /metrics needs METRICS_PORT; in HTTP mode it moves there when set.
    if (config.metricsPort !== undefined) metricsServer = await startMetricsServer(config.metricsPort, services.metrics.registry);
    const { port } = await slack.start();
    const metrics = metricsServer ? `/metrics on port ${metricsServer.port}` : slack.mode === 'http' ? `/metrics on port ${port}` : 'off (set METRICS_PORT)';
    logger.info(
      slack.mode === 'socket' ? { mode: 'socket', metrics } : { mode: 'http', port, events: '/slack/events', health: '/healthz', metrics },
      slack.mode === 'socket' ? 'Leads is connected to Slack (Socket Mode)' : `Leads is listening on port ${port}`,
    );
  } catch (error) {
    logger.error({ err: describeError(error) }, 'the Slack app could not start');
    process.stderr.write(`The Slack app could not start: ${describeError(error)}\n`);
    await metricsServer?.close();
    await services.close();
    return error instanceof ConfigError ? 2 : 1;
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  logger.info('shutting down: finishing runs in progress');
  await slack.stop({ drainMs: 20_000 });
  await metricsServer?.close();
  await services.close();
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
