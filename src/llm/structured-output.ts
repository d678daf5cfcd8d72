import type { z } from 'zod';
import { clipRaw } from '../domain/text.js';
import { StructuredOutputError } from '../errors.js';
import type { ChatMessage, ChatResponse, TokenUsage } from './types.js';

export type ParseOutcome<T> = { ok: true; data: T } | { ok: false; error: string };

/** Pulls the JSON out of a model's answer: drops <think> blocks, code fences and prose around the JSON. */
export function extractJsonText(text: string): string {
  let body = withoutThinking(text);
  // Some chat templates open the <think> in the prompt, so the answer holds only its closing tag.
  const orphanClose = body.toLowerCase().lastIndexOf('</think>');
  if (orphanClose >= 0) body = body.slice(orphanClose + '</think>'.length);
  // A reasoning model cut off mid-thought leaves an unclosed <think>: drop the tag, keep looking for JSON.
  if (/^\s*<think>/i.test(body)) body = body.replace(/^\s*<think>/i, '');
  const fenceOpen = body.indexOf('```');
  const fenceClose = fenceOpen >= 0 ? body.indexOf('```', fenceOpen + 3) : -1;
  if (fenceClose >= 0) body = body.slice(fenceOpen + 3, fenceClose).replace(/^(?:json|JSON)/, '');
  return outermostJson(body.trim()) ?? body.trim();
}

/** Parses and validates one answer; the error is short enough to send back to the model. */
export function parseStructured<T>(text: string, schema: z.ZodType<T>, truncated = false): ParseOutcome<T> {
  if (text.trim() === '') return { ok: false, error: 'the answer was empty' };
  const candidate = extractJsonText(text);
  let value: unknown;
  try {
    value = JSON.parse(candidate);
  } catch (error) {
    const cutOff = truncated ? ' (the answer was cut off: keep it shorter)' : '';
    return { ok: false, error: `the answer is not valid JSON: ${(error as Error).message}${cutOff}` };
  }
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, error: `the JSON does not match the schema: ${describeIssues(result.error.issues)}` };
}

/** The two messages that ask the model to fix its previous answer. */
export function correctionMessages(badAnswer: string, error: string): ChatMessage[] {
  return [
    { role: 'assistant', content: clipRaw(badAnswer, 4000) },
    {
      role: 'user',
      content: `Your previous answer could not be used: ${error}. Reply again with only the JSON that follows the schema, no prose.`,
    },
  ];
}

export interface StructuredCallOptions<T> {
  messages: ChatMessage[];
  schema: z.ZodType<T>;
  schemaName: string;
  /** Extra attempts after the first bad answer. */
  maxRetries?: number;
  call: (messages: ChatMessage[], attempt: number) => Promise<ChatResponse>;
  /** Sees every answer with its validation error (null when it was used), e.g. for the prompt log. */
  onAnswer?: (response: ChatResponse, attempt: number, error: string | null) => void;
}

export interface StructuredResult<T> {
  data: T;
  usage: TokenUsage;
  attempts: number;
}

/** Asks until the answer parses and validates, feeding each validation error back; throws StructuredOutputError at the end. */
export async function generateStructured<T>(options: StructuredCallOptions<T>): Promise<StructuredResult<T>> {
  const maxAttempts = 1 + (options.maxRetries ?? 2);
  const usage: TokenUsage = { promptTokens: 0, outputTokens: 0 };
  const messages = [...options.messages];
  let lastText = '';
  let lastError = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const response = await options.call([...messages], attempt);
    usage.promptTokens += response.promptTokens;
    usage.outputTokens += response.outputTokens;
    lastText = response.content;
    const outcome = parseStructured(response.content, options.schema, response.truncated);
    options.onAnswer?.(response, attempt, outcome.ok ? null : outcome.error);
    if (outcome.ok) return { data: outcome.data, usage, attempts: attempt };
    lastError = outcome.error;
    messages.push(...correctionMessages(response.content, outcome.error));
  }
  throw new StructuredOutputError(
    `The model did not return a valid ${options.schemaName} after ${maxAttempts} attempts: ${lastError}.`,
    lastText,
    usage,
    { cause: new Error(lastError) },
  );
}

/** The answer without its closed <think>…</think> blocks; one forward scan, however many tags a reply holds. */
function withoutThinking(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  let from = 0;
  for (let open = lower.indexOf('<think>'); open >= 0; open = lower.indexOf('<think>', from)) {
    const close = lower.indexOf('</think>', open + 7);
    if (close < 0) break;
    out += text.slice(from, open);
    from = close + '</think>'.length;
  }
  return out + text.slice(from);
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}

function outermostJson(text: string): string | undefined {
  const start = text.search(/[{[]/);
  if (start < 0) return undefined;
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return undefined;
      if (stack.length === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}
