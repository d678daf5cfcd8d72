#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { environmentWithDotEnv, loadConfig } from './config.js';
import { ConfigError, describeError } from './errors.js';
import { NoLeadsError, RunFailedError } from './domain/types.js';
import { isEntryPoint } from './entry-point.js';
import type { Services } from './services.js';

const USAGE = `Usage: npx leads "<request>" [--json] [--fresh] [--top N]
   (or: npm run leads -- "<request>" …)

  "<request>"  what to find, e.g. "find me potential customers" or "dealer groups in Texas we could sell to"
  --json       print exactly one JSON document on standard output (logs go to standard error)
  --fresh      ignore cached searches, enrichment and model answers
  --top N      how many leads to return (1-50, default 10)
  --version    print the version
  --help       show this help

Exit codes: 0 success, 1 the run failed (the reason is printed), 2 bad usage or configuration, 130 stopped with Ctrl-C.`;

/** The exit code of a run stopped with Ctrl-C (128 + SIGINT), as shells expect. */
export const EXIT_INTERRUPTED = 130;

interface CliOptions {
  request: string;
  json: boolean;
  fresh: boolean;
  top?: number;
}

/** The version in package.json, which sits one folder above both src/cli.ts and the compiled dist/cli.js. */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as unknown;
  return z.object({ version: z.string() }).parse(manifest).version;
}

/** Parses argv; throws a UsageError with the problem in plain words. */
export function parseCliArgs(argv: string[]): CliOptions | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        fresh: { type: 'boolean', default: false },
        top: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(describeError(error));
  }
  if (parsed.values.help) return 'help';
  if (parsed.values.version) return 'version';
  const request = parsed.positionals.join(' ').trim();
  if (request === '') throw new UsageError('Missing the request, e.g. npx leads "find me potential customers"');
  if (request.length > 2_000) throw new UsageError('The request is longer than 2,000 characters; shorten it.');
  let top: number | undefined;
  if (parsed.values.top !== undefined) {
    top = Number(parsed.values.top);
    if (!Number.isInteger(top) || top < 1 || top > 50)
      throw new UsageError(`--top must be a whole number from 1 to 50 (got "${parsed.values.top}")`);
  }
  return { request, json: parsed.values.json, fresh: parsed.values.fresh, top };
}

class UsageError extends Error {}

/** Sends anything else written to standard output to standard error; returns the one writer of the document. */
function reserveStdoutForDocument(): (text: string) => void {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  return (text) => {
    write(text);
  };
}

/** The terminal entry point; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let options: CliOptions | 'help' | 'version';
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options === 'version') {
    process.stdout.write(`leads ${cliVersion()}\n`);
    return 0;
  }
  // With --json, standard output carries the document and nothing else, whatever a library prints (the ollama
  // client console.logs on some errors): everything else written to it goes to standard error instead.
  const writeDocument = options.json ? reserveStdoutForDocument() : (text: string) => process.stdout.write(text);

  // Loaded only for a run, so `--help` and `--version` answer without starting the clients.
  const [{ createServices }, { disabledMetrics }, { createProgressBar }, { renderLeadsText }] = await Promise.all([
    import('./services.js'),
    import('./metrics/metrics.js'),
    import('./cli/progress-bar.js'),
    import('./cli/render-table.js'),
  ]);
  let services: Services;
  try {
    const environment = environmentWithDotEnv(env);
    const config = loadConfig(environment);
    // A CLI user wants the table, not info logs; LOG_LEVEL still wins when set. One run and exit: nothing to scrape.
    services = createServices(config, {
      logLevel: environment.LOG_LEVEL ? config.logLevel : 'error',
      metrics: disabledMetrics(),
    });
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }

  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    // A second Ctrl-C does not wait for the run to wind down.
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  const bar = createProgressBar(process.stderr);
  try {
    const doc = await services.orchestrator.run({
      text: options.request,
      scope: 'cli',
      origin: { kind: 'cli' },
      fresh: options.fresh,
      top: options.top,
      onProgress: (event) => bar.update(event),
      signal: controller.signal,
    });
    bar.stop();
    // Like the logs, what the terminal shows passes the secret scrubber: a provider may echo a key in an error.
    writeDocument(
      services.scrub(
        options.json ? `${JSON.stringify(doc, null, 2)}\n` : renderLeadsText(doc, services.profile.company.name),
      ),
    );
    return 0;
  } catch (error) {
    bar.stop();
    if (interrupted) {
      process.stderr.write('Stopped.\n');
      return EXIT_INTERRUPTED;
    }
    const runId = error instanceof RunFailedError ? ` (run ${error.runId})` : '';
    const fresh =
      error instanceof NoLeadsError && !options.fresh ? ' Add --fresh to search again without the cache.' : '';
    process.stderr.write(services.scrub(`The run failed${runId}: ${describeError(error)}${fresh}\n`));
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    await services.close();
  }
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      // Keep-alive sockets and straggling searches must not hold the terminal; stdio on Linux is synchronous.
      process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(`Unexpected error: ${describeError(error)}\n`);
      process.exitCode = 1;
    },
  );
}
