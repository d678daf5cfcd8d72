import type { ProviderError } from './provider-error.js';
import type { ChatMessage } from './types.js';

// How an OpenAI-compatible server is asked for JSON. Servers differ: vLLM and llama-server refuse some schemas (or
// `json_schema` altogether in older builds) with a 400, LM Studio refuses `json_object`. Each refusal steps down one
// format for that server and model, and the answer is still checked against the schema by the structured-output layer.

/** Best first: the schema itself as `response_format`, then JSON mode, then plain text; the last two carry the schema
 * in the system message. */
export const answerFormats = ['json_schema', 'json_object', 'none'] as const;
export type AnswerFormat = (typeof answerFormats)[number];

/** Which base URL + model pairs refused a format, so later calls skip straight to the one that works. */
export interface FormatMemory {
  get(key: string): AnswerFormat;
  refused(key: string, next: AnswerFormat): void;
}

export function createFormatMemory(): FormatMemory {
  const known = new Map<string, AnswerFormat>();
  return {
    get: (key) => known.get(key) ?? 'json_schema',
    refused: (key, next) => {
      known.set(key, next);
    },
  };
}

// Words servers use when they refuse a response_format or the schema in it (and never for a long prompt or a bad key).
const FORMAT_WORDS =
  /response_format|json_schema|json_object|json schema|schema|grammar|guided|structured output|xgrammar|outlines/i;

/** True when the server refused the way we asked for JSON (not the request as a whole): step down a format. */
export function refusesFormat(failure: ProviderError, format: AnswerFormat): boolean {
  if (format === 'none') return false;
  const refusal = failure.kind === 'bad_request' || failure.status === 422 || failure.status === 501;
  return refusal && FORMAT_WORDS.test(failure.message);
}

/** The request's messages with the JSON schema stated in the system message, for servers that cannot take it as a format. */
export function withSchemaInstruction(
  messages: readonly ChatMessage[],
  schema: Record<string, unknown>,
): ChatMessage[] {
  const instruction = `Answer with one JSON object and nothing else. It must follow this JSON schema:\n${JSON.stringify(schema)}`;
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...rest];
  return [{ role: 'system', content: instruction }, ...messages];
}

/** OpenAI's strict structured outputs accept a schema only when every object lists all its properties as required
 * and allows no others; anything else is sent with `strict: false`. */
export function isStrictCompatible(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(isStrictCompatible);
  if (typeof node !== 'object' || node === null) return true;
  const schema = node as Record<string, unknown>;
  if (isRecord(schema.properties)) {
    const required = Array.isArray(schema.required) ? schema.required : [];
    const all = Object.keys(schema.properties).every((key) => required.includes(key));
    if (!all || schema.additionalProperties !== false) return false;
    if (!Object.values(schema.properties).every(isStrictCompatible)) return false;
  }
  return ['items', 'anyOf', 'oneOf', 'allOf', '$defs', 'definitions'].every((key) => {
    const value = schema[key];
    if (value === undefined) return true;
    return isRecord(value) && (key === '$defs' || key === 'definitions')
      ? Object.values(value).every(isStrictCompatible)
      : isStrictCompatible(value);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
