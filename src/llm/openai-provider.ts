import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { z } from 'zod';
import { oneLine } from '../domain/text.js';
import { classifyFetchError, kindForStatus, ProviderError, retryAfterMsOf } from './provider-error.js';
import {
  answerFormats,
  createFormatMemory,
  isStrictCompatible,
  refusesFormat,
  withSchemaInstruction,
  type AnswerFormat,
  type FormatMemory,
} from './openai-formats.js';
import type { ChatProvider, ChatRequest, ChatResponse } from './types.js';

export interface OpenAiProviderOptions {
  /** The API's base (OPENAI_BASE_URL), e.g. http://127.0.0.1:8000/v1; a bare host gets /v1. */
  baseUrl: string;
  model: string;
  /** Local servers usually need none; without one no Authorization header is sent. */
  apiKey?: string;
  fetch?: typeof fetch;
  /** Which servers refused `json_schema` (or JSON mode); one per process unless a test brings its own. */
  formats?: FormatMemory;
}

/** The answer of /v1/chat/completions as far as we read it; servers add fields of their own. */
const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() }).nullish(),
});
const modelListSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

const processFormats = createFormatMemory();

/**
 * Any OpenAI-compatible server (vLLM, llama.cpp's llama-server, LM Studio, LocalAI, OpenAI) through the official
 * `openai` client, whose own retries are off: the LLM client retries within LLM_TIMEOUT_MS, so attempts are not
 * multiplied. Structured output asks for `json_schema`; a server that refuses it gets JSON mode (or plain text) with
 * the schema in the prompt, remembered per base URL and model so later calls go straight there.
 */
export function createOpenAiProvider(options: OpenAiProviderOptions): ChatProvider {
  const baseUrl = openAiBase(options.baseUrl);
  const { model } = options;
  const formats = options.formats ?? processFormats;
  const formatKey = `${baseUrl}|${model}`;
  const baseFetch = options.fetch ?? globalThis.fetch;

  // One client per call: its fetch carries the call's signal and keeps the body of an error answer, which the client
  // reduces to "400 status code (no body)" when a server's envelope is not OpenAI's.
  function clientFor(signal: AbortSignal) {
    const failed: { body?: string } = {};
    const client = new OpenAI({
      baseURL: baseUrl,
      apiKey: options.apiKey ?? 'none',
      // Everything comes from our Config: the client must not read OPENAI_* variables of its own.
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      maxRetries: 0,
      ...(options.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        const response = await baseFetch(input, { ...init, signal });
        if (!response.ok)
          failed.body = await response
            .clone()
            .text()
            .catch(() => undefined);
        return response;
      },
    });
    return { client, failed };
  }

  async function complete(request: ChatRequest, format: AnswerFormat): Promise<ChatResponse> {
    const { client, failed } = clientFor(request.signal);
    const schema = request.jsonSchema;
    const messages =
      schema && format !== 'json_schema' ? withSchemaInstruction(request.messages, schema) : request.messages;
    let raw: unknown;
    try {
      raw = await client.chat.completions.create(
        {
          model,
          messages: messages.map((message) => ({ role: message.role, content: message.content })),
          temperature: request.temperature,
          max_tokens: request.maxOutputTokens,
          ...(schema ? responseFormat(format, request.schemaName, schema) : {}),
        },
        { signal: request.signal, maxRetries: 0 },
      );
    } catch (error) {
      throw toProviderError(error, failed.body);
    }
    const parsed = completionSchema.safeParse(raw);
    if (!parsed.success)
      throw new ProviderError('wrong_server', `the answer is not a chat completion (${describe(raw)})`);
    const choice = parsed.data.choices[0];
    return {
      content: choice?.message?.content ?? '',
      promptTokens: parsed.data.usage?.prompt_tokens ?? 0,
      outputTokens: parsed.data.usage?.completion_tokens ?? 0,
      truncated: choice?.finish_reason === 'length',
    };
  }

  async function listModels(signal: AbortSignal): Promise<string[]> {
    const { client, failed } = clientFor(signal);
    let raw: unknown;
    try {
      raw = await client.get('/models', { signal, maxRetries: 0 });
    } catch (error) {
      throw toProviderError(error, failed.body);
    }
    const parsed = modelListSchema.safeParse(raw);
    if (!parsed.success) throw new ProviderError('wrong_server', `/models is not a model list (${describe(raw)})`);
    return parsed.data.data.map((entry) => entry.id);
  }

  /** "model x is not served at …; it offers a, b": what the server does serve, when it says. */
  async function notServed(signal: AbortSignal, cause?: unknown): Promise<ProviderError> {
    const offered = await listModels(signal).catch(() => undefined);
    const list =
      offered && offered.length > 0
        ? `; it offers ${offered.slice(0, 8).join(', ')}${offered.length > 8 ? ` and ${offered.length - 8} more` : ''}`
        : '';
    return new ProviderError('model_not_found', `model ${model} is not served at ${baseUrl}${list}`, 404, { cause });
  }

  return {
    name: 'openai',
    model,
    host: baseUrl,
    async chat(request: ChatRequest): Promise<ChatResponse> {
      for (let format = formats.get(formatKey); ;) {
        try {
          return await complete(request, format);
        } catch (error) {
          const failure = error as ProviderError;
          if (request.jsonSchema && refusesFormat(failure, format)) {
            format = answerFormats[answerFormats.indexOf(format) + 1] as AnswerFormat;
            formats.refused(formatKey, format);
            continue;
          }
          if (failure.kind === 'model_not_found' && !request.signal.aborted)
            throw await notServed(request.signal, failure);
          throw failure;
        }
      }
    },
    async ping(signal: AbortSignal): Promise<void> {
      const offered = await listModels(signal);
      // Some servers list nothing (or only the file they loaded); only a list without the model is a "no".
      if (offered.length > 0 && !offered.includes(model)) throw await notServed(signal);
    },
  };
}

/** OPENAI_BASE_URL as the client wants it: a bare host gets /v1; any other path (…/openai/v1, /v1beta/openai) is kept. */
export function openAiBase(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  try {
    return new URL(trimmed).pathname.replace(/\/+$/, '') === '' ? `${trimmed}/v1` : trimmed;
  } catch {
    return trimmed;
  }
}

function responseFormat(format: AnswerFormat, name: string | undefined, schema: Record<string, unknown>) {
  if (format === 'none') return {};
  if (format === 'json_object') return { response_format: { type: 'json_object' as const } };
  const schemaName = (name ?? 'answer').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'answer';
  // OpenAI's strict mode takes only schemas whose objects list every property as required; others go non-strict.
  return {
    response_format: {
      type: 'json_schema' as const,
      json_schema: { name: schemaName, schema, strict: isStrictCompatible(schema) },
    },
  };
}

/** The client's errors as ProviderErrors, with the server's own words (from the kept error body) in one short line. */
function toProviderError(error: unknown, body: string | undefined): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof APIUserAbortError)
    return new ProviderError('aborted', 'the request was aborted', undefined, { cause: error });
  if (error instanceof APIConnectionTimeoutError)
    return new ProviderError('timeout', 'the request timed out', undefined, { cause: error });
  if (error instanceof APIConnectionError) return classifyFetchError(error.cause ?? error);
  if (error instanceof APIError && typeof error.status === 'number') {
    const said = serverSaid(body) ?? oneLine(error.message.replace(/^\d{3}\s*/, ''), 160);
    const message = `HTTP ${error.status}${said ? `: ${said}` : ''}`;
    const status = error.status;
    if (status === 404 && !/model/i.test(said ?? ''))
      return new ProviderError('wrong_server', `${message} (no chat completions at this address)`, status, {
        cause: error,
      });
    return new ProviderError(kindForStatus(status), message, status, {
      cause: error,
      retryAfterMs: status === 429 ? retryAfterMsOf(error.headers) : undefined,
    });
  }
  // A 200 that is not JSON at all fails while the client reads it.
  if (error instanceof SyntaxError)
    return new ProviderError('wrong_server', `the answer is not JSON (${oneLine(error.message, 80)})`, undefined, {
      cause: error,
    });
  return classifyFetchError(error);
}

/** The message inside the error envelopes servers use: OpenAI's and llama-server's {error: {message}}, LM Studio's
 * {error: "…"}, older vLLM's {message}, FastAPI's {detail}; else the body's first line. */
function serverSaid(body: string | undefined): string | undefined {
  if (!body || body.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return oneLine(body, 160) || undefined;
  }
  const envelope = value as { error?: unknown; message?: unknown; detail?: unknown } | null;
  const inner = envelope?.error as { message?: unknown } | string | undefined;
  const candidates = [
    typeof inner === 'string' ? inner : inner?.message,
    envelope?.message,
    typeof envelope?.detail === 'string' ? envelope.detail : JSON.stringify(envelope?.detail ?? null),
  ];
  const text = candidates.find((c): c is string => typeof c === 'string' && c !== '' && c !== 'null');
  return oneLine(text ?? body, 160) || undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `text: ${oneLine(value, 60)}`;
  return oneLine(JSON.stringify(value) ?? String(value), 80);
}
