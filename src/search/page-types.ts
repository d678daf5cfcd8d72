import type { PageReaderName } from '../config.js';
import type { UsageMeter } from '../domain/usage.js';
import type { Logger } from '../logger.js';

export type { PageReaderName };

/** A page read in full: its URL (as asked for), title and readable text, cleaned like every web text. */
export interface ReadPage {
  url: string;
  title: string;
  text: string;
  /** Which reader read it. */
  reader: 'tavily' | 'fetch';
}

/** Why a page was not read; a failure is a warning for the run, never its end. */
export type PageFailureKind = 'blocked' | 'rate_limited' | 'timeout' | 'failed' | 'empty' | 'not_text';

export interface PageReadFailure {
  url: string;
  kind: PageFailureKind;
  /** Plain words for the warning ("169.254.169.254 is not a public address", "answered HTTP 403"). */
  reason: string;
}

export interface PageReadOutcome {
  pages: ReadPage[];
  failures: PageReadFailure[];
}

/** One way of reading pages (Tavily's extract, a direct fetch). Raw text in, per-URL failures as values; it throws
 * only when the whole request failed (the service refused, the run was cancelled). */
export interface PageBackend {
  readonly name: 'tavily' | 'fetch';
  read(urls: readonly string[], signal: AbortSignal): Promise<{ pages: RawPage[]; failures: PageReadFailure[] }>;
}

/** What a backend hands back before cleaning: the reader cleans and clips it in one place. */
export interface RawPage {
  url: string;
  title: string;
  text: string;
}

export interface PageReadRequest {
  scope: string;
  fresh?: boolean;
  signal?: AbortSignal;
  meter?: UsageMeter;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Reads pages in full for a run and keeps what it read, by URL, for a day (the cache). `readText` is how any later
 * step of a run (fact checks, quote checks) finds the text a read returned for a URL, without reading it again.
 */
export interface PageReader {
  readonly name: PageReaderName;
  read(urls: readonly string[], request: PageReadRequest): Promise<PageReadOutcome>;
  /** The text the reader returned for `url` in this scope within the last day, or undefined; never reads. */
  readText(url: string, scope: string): Promise<ReadPage | undefined>;
}
