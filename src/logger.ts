import { pino, type Logger } from 'pino';
import type { Scrubber } from './secrets.js';

export type { Logger };

/** JSON logs on standard error (standard output belongs to the CLI's result), with secrets removed twice:
 * by field path, and by value on every written line, which also catches a key inside a URL or an error message. */
export function createLogger(options: { level: string; scrub: Scrubber; destination?: NodeJS.WritableStream }): Logger {
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
    destination as pino.DestinationStream,
  );
}
