import {
  describeError,
  ConfigError,
  LlmUnavailableError,
  RunAbortedError,
  SearchUnavailableError,
  SharedStateError,
  StructuredOutputError,
} from '../../errors.js';
import { RunFailedError } from '../../domain/types.js';
import { escapeAndFit } from './escape.js';
import { runAgainActions } from './run-again.js';
import type { SlackMessage } from './message.js';

const KNOWN = [
  RunFailedError,
  LlmUnavailableError,
  SearchUnavailableError,
  StructuredOutputError,
  RunAbortedError,
  ConfigError,
  SharedStateError,
];

/** Plain words for any failure: our typed errors speak for themselves; anything else gets a generic line, never a stack. */
export function describeFailure(error: unknown): string {
  if (KNOWN.some((kind) => error instanceof kind)) {
    const first = describeError(error).split(/\n\s+at\s/)[0] ?? '';
    const text = first.trim();
    if (text) return text;
  }
  return 'Something went wrong inside Leads. The details are in the app’s log.';
}

/** The failure message posted in the run's thread; with `runAgain`, a Run again button for the run's request. */
export function renderFailure(
  error: unknown,
  context: { runId?: string; what?: string; runAgain?: boolean } = {},
): SlackMessage {
  const what = context.what ?? 'The request';
  const reason = escapeAndFit(describeFailure(error), 2000);
  const ref = context.runId ? `Run \`${escapeAndFit(context.runId, 80)}\`.` : '';
  const text = `:warning: ${what} could not finish: ${reason}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      ...(ref ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: ref }] }] : []),
      ...(context.runAgain && context.runId ? [runAgainActions(context.runId, 'leads_failed')] : []),
    ],
  };
}
