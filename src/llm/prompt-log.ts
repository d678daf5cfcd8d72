import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileStamp } from '../domain/file-stamp.js';
import type { Logger } from '../logger.js';
import type { Scrubber } from '../secrets.js';
import type { ChatMessage } from './types.js';

/** One provider call, as docs/architecture.md#files-under-data_dir lists it. */
export interface PromptLogEntry {
  time: string;
  runId: string;
  agent: string;
  provider: string;
  model: string;
  messages: ChatMessage[];
  response: string | null;
  promptTokens: number;
  outputTokens: number;
  latencyMs: number;
  attempt: number;
  error: string | null;
}

export interface PromptLog {
  /** Queues one line; never throws (a failed write becomes a warning). */
  write(entry: PromptLogEntry): void;
  /** Resolves when every queued line is on disk. */
  flush(): Promise<void>;
  readonly path: string;
}

export interface PromptLogOptions {
  /** DATA_DIR; lines go to <dir>/prompt_logs/session_<UTC stamp>.jsonl. */
  dir: string;
  scrub: Scrubber;
  logger?: Pick<Logger, 'warn'>;
  /** Which session file to write; defaults to this process's start time. */
  startedAt?: Date;
}

const processStartedAt = new Date();

/** Keeps every prompt and answer for debugging and cost review, one file per process, with secrets scrubbed. */
export function createPromptLog(options: PromptLogOptions): PromptLog {
  const folder = join(options.dir, 'prompt_logs');
  const path = join(folder, `session_${fileStamp(options.startedAt ?? processStartedAt)}.jsonl`);
  let tail: Promise<void> = Promise.resolve();
  let folderReady: Promise<unknown> | undefined;

  return {
    path,
    write(entry) {
      let line: string;
      try {
        line = `${options.scrub(JSON.stringify(entry))}\n`;
      } catch (error) {
        options.logger?.warn({ err: error }, 'could not serialise a prompt log line');
        return;
      }
      tail = tail.then(async () => {
        try {
          folderReady ??= mkdir(folder, { recursive: true });
          await folderReady;
          await appendFile(path, line, 'utf8');
        } catch (error) {
          folderReady = undefined;
          options.logger?.warn({ err: error, path }, 'could not write to the prompt log');
        }
      });
    },
    flush: () => tail,
  };
}
