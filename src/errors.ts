// Typed failures: every front end (CLI, Slack, bench) turns these into plain words for users.
import { redactUrlCredentials } from './domain/url-credentials.js';

/** Bad or missing configuration; the CLI exits 2 and the Slack app refuses to start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly issues: readonly { variable: string; problem: string }[] = [],
  ) {
    super(message);
  }
}

/** The language model could not be reached or did not answer in time. */
export class LlmUnavailableError extends Error {
  override readonly name = 'LlmUnavailableError';
  constructor(
    message: string,
    readonly host: string,
    readonly model: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The model answered, but never with JSON that fits the schema; keeps the raw text for the prompt log. */
export class StructuredOutputError extends Error {
  override readonly name = 'StructuredOutputError';
  constructor(
    message: string,
    readonly rawText: string,
    readonly usage: { promptTokens: number; outputTokens: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One search provider failed; `kind` decides whether the chain falls through and how it is reported. */
export type SearchFailureKind =
  'rate_limited' | 'blocked' | 'timeout' | 'server_error' | 'network' | 'auth' | 'bad_response' | 'not_configured';

export class SearchProviderError extends Error {
  override readonly name = 'SearchProviderError';
  constructor(
    readonly provider: string,
    readonly kind: SearchFailureKind,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Every provider in the chain failed for a query; the message says which failed how and what to configure. */
export class SearchUnavailableError extends Error {
  override readonly name = 'SearchUnavailableError';
  constructor(
    message: string,
    readonly failures: readonly SearchProviderError[],
  ) {
    super(message);
  }
}

/** Redis, which several processes share in REDIS_URL mode, did not answer; the work that needed it stopped. */
export class SharedStateError extends Error {
  override readonly name = 'SharedStateError';
}

/** What a run needs (the model, the CRM) failed its check before the run searched; the message names what to fix. */
export class PreflightError extends Error {
  override readonly name = 'PreflightError';
}

/** A run was cancelled (user, shutdown, or deadline). */
export class RunAbortedError extends Error {
  override readonly name = 'RunAbortedError';
}

/** True when work shared with another caller (single-flight) was cancelled by that caller, not by this one. */
export function cancelledByAnother(error: unknown, signal: AbortSignal | undefined): boolean {
  return error instanceof RunAbortedError && !signal?.aborted;
}

/** Plain-words description of any error, for users: never a stack trace, never a URL's user:password. */
export function describeError(error: unknown): string {
  return redactUrlCredentials(error instanceof Error ? error.message : String(error));
}
