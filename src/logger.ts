import { pino, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { Scrubber } from './secrets.js';

export type { Logger };

/** The calls most modules make: fields and a message. pino's Logger fits, and so does a run's log in Slack. */
export interface LineLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** json: one JSON object per line, for log pipelines (the default); pretty: colourised lines for people. */
export type LogFormat = 'json' | 'pretty';

/** Logs on standard error (standard output belongs to the CLI's result), with secrets removed twice: by field
 * path, and by value on every written line, which also catches a key inside a URL or an error message. */
export function createLogger(options: {
  level: string;
  scrub: Scrubber;
  destination?: NodeJS.WritableStream;
  format?: LogFormat;
}): Logger {
  const destination = options.destination ?? process.stderr;
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: {
        paths: [
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
          '*.headers.authorization',
          'apiKey',
          '*.apiKey',
          'signingSecret',
          '*.signingSecret',
          'botToken',
          '*.botToken',
          'appToken',
          '*.appToken',
        ],
        censor: '[REDACTED]',
      },
      hooks: {
        streamWrite: (line) => options.scrub(line),
      },
    },
    (options.format === 'pretty' ? prettyStream(destination) : destination) as pino.DestinationStream,
  );
}

/** Turns each scrubbed JSON line into a readable one, synchronously, so nothing is lost when the process exits. */
function prettyStream(destination: NodeJS.WritableStream): pino.DestinationStream {
  const prettify = prettyFactory({
    colorize: Boolean((destination as { isTTY?: boolean }).isTTY),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    singleLine: true,
  });
  return { write: (line: string) => destination.write(prettify(line)) };
}
