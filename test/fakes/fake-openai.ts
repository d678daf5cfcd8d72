import {
  createChatEngine,
  type FakeChatRequest,
  type FakeCostModel,
  type FakeRespond,
  type ScriptedReply,
} from './fake-ollama.js';
import { afterTest, expectNoneUnexpected } from '../support/teardown.js';
import { startLoopbackServer, type FakeReply, type LoopbackServer, type RecordedRequest } from './loopback-server.js';

/** How real servers refuse a `response_format` they cannot serve, each in its own error envelope. */
export type FormatRefusal =
  /** vLLM's older top-level envelope, whose message the openai client cannot read ("400 status code (no body)"). */
  | 'vllm'
  /** llama.cpp's llama-server: {error: {code, message, type}} when a schema will not convert to a grammar. */
  | 'llama-server'
  /** LM Studio: {error: "…"} as a bare string. */
  | 'lmstudio';

export interface FakeOpenAiOptions {
  respond?: FakeRespond;
  /** Served models (listed by /v1/models); a chat for any other model gets a 404. Default ['qwen2.5-7b-instruct']. */
  models?: string[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get OpenAI's 401. */
  apiKey?: string;
  /** Refuse `json_schema` with a 400 in this server's words. */
  refuseJsonSchema?: FormatRefusal;
  /** Refuse `json_object` too (LM Studio accepts only json_schema or text). */
  refuseJsonObject?: boolean;
  /** The 404 for an unknown model: OpenAI's envelope, or vLLM's. */
  notFoundStyle?: 'openai' | 'vllm';
  /** Leave `usage` out of answers, as some servers do. */
  omitUsage?: boolean;
  cost?: FakeCostModel;
}

/** A chat request as the fake saw it, with the way JSON was asked for. */
export interface FakeOpenAiCall extends FakeChatRequest {
  responseFormat: 'json_schema' | 'json_object' | 'none';
}

export interface FakeOpenAi {
  url: string;
  /** What to pass as OPENAI_BASE_URL. */
  baseUrl: string;
  calls: FakeOpenAiCall[];
  unexpected: RecordedRequest[];
  readonly maxInFlight: number;
  /** Scripted model answers (content, an HTTP error, a dropped connection, a delay), served before `respond`. */
  enqueue(...replies: ScriptedReply[]): void;
  /** Raw HTTP replies served before anything else (a 429 with Retry-After, an HTML page, a hang). */
  enqueueHttp(...replies: FakeReply[]): void;
  close(): Promise<void>;
  server: LoopbackServer;
}

const SCHEMA_IN_PROMPT = /It must follow this JSON schema:\n(\{[\s\S]*\})\s*$/;

/**
 * A loopback OpenAI-compatible server (/v1/chat/completions, /v1/models) for the real `openai` client. Like the real
 * ones it may refuse `json_schema` or JSON mode, 404 an unknown model, 401 a wrong key, and serve whatever the engine
 * scripts (429s, 5xx, hangs, dropped connections, prose or `<think>` around the JSON). A model asked through JSON mode
 * reads the schema from the system message, as a real one does.
 */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const models = options.models ?? ['qwen2.5-7b-instruct'];
  const engine = createChatEngine(options);
  const calls: FakeOpenAiCall[] = [];
  const unexpected: RecordedRequest[] = [];

  const server = await startLoopbackServer(async (req): Promise<FakeReply> => {
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      const given = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      return {
        status: 401,
        body: {
          error: {
            message: `Incorrect API key provided: ${given.slice(0, 3)}****${given.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        },
      };
    }
    if (req.method === 'GET' && req.path === '/v1/models') {
      return {
        body: { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) },
      };
    }
    if (req.method === 'POST' && req.path === '/v1/chat/completions') {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const format = body.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined;
      const responseFormat = (format?.type ?? 'none') as FakeOpenAiCall['responseFormat'];
      const messages = (body.messages as FakeChatRequest['messages']) ?? [];
      const model = String(body.model ?? '');
      if (!models.includes(model)) return notFound(model, options.notFoundStyle ?? 'openai');
      if (responseFormat === 'json_schema' && options.refuseJsonSchema) return refusal(options.refuseJsonSchema);
      if (responseFormat === 'json_object' && options.refuseJsonObject)
        return { status: 400, body: { error: "'response_format.type' must be 'json_schema' or 'text'" } };
      const call: FakeOpenAiCall = {
        model,
        messages,
        format: format?.json_schema?.schema ?? schemaFromPrompt(messages),
        options: { temperature: body.temperature, max_tokens: body.max_tokens },
        body,
        receivedAt: req.receivedAt,
        responseFormat,
      };
      calls.push(call);
      const result = await engine.answer(call);
      if (result.kind === 'reply') return result.reply;
      return { body: completion(model, result.content, result.promptTokens, result.outputTokens, options.omitUsage) };
    }
    unexpected.push(req);
    return { status: 404, body: { error: { message: `fake-openai does not serve ${req.method} ${req.path}` } } };
  });

  afterTest({
    check: () => expectNoneUnexpected('fake OpenAI', unexpected, (r: RecordedRequest) => `${r.method} ${r.path}`),
    close: () => fake.close(),
  });
  const fake: FakeOpenAi = {
    url: server.url,
    baseUrl: `${server.url}/v1`,
    calls,
    unexpected,
    get maxInFlight() {
      return engine.peak();
    },
    enqueue: engine.enqueue,
    enqueueHttp: server.enqueue,
    close: async () => {
      engine.close();
      await server.close();
    },
    server,
  };
  return fake;
}

function schemaFromPrompt(messages: FakeChatRequest['messages']): unknown {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const match = SCHEMA_IN_PROMPT.exec(system);
  if (!match?.[1]) return undefined;
  try {
    return JSON.parse(match[1]);
  } catch {
    return undefined;
  }
}

function refusal(style: FormatRefusal): FakeReply {
  if (style === 'vllm')
    return {
      status: 400,
      body: {
        object: 'error',
        message: 'The provided JSON schema contains features not supported by xgrammar.',
        type: 'BadRequestError',
        param: null,
        code: 400,
      },
    };
  if (style === 'llama-server')
    return {
      status: 400,
      body: {
        error: {
          code: 400,
          message:
            'JSON schema conversion failed:\nUnrecognized schema: {"anyOf":[{"type":"integer"},{"type":"null"}]}',
          type: 'invalid_request_error',
        },
      },
    };
  return {
    status: 400,
    body: { error: "Invalid 'response_format': json_schema is not supported by the loaded model" },
  };
}

function notFound(model: string, style: 'openai' | 'vllm'): FakeReply {
  if (style === 'vllm')
    return {
      status: 404,
      body: {
        object: 'error',
        message: `The model \`${model}\` does not exist.`,
        type: 'NotFoundError',
        param: null,
        code: 404,
      },
    };
  return {
    status: 404,
    body: {
      error: {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    },
  };
}

function completion(model: string, content: string, promptTokens: number, outputTokens: number, omitUsage?: boolean) {
  return {
    id: `chatcmpl-fake-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    ...(omitUsage
      ? {}
      : {
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: outputTokens,
            total_tokens: promptTokens + outputTokens,
          },
        }),
  };
}
