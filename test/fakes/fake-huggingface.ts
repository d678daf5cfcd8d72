import {
  createChatEngine,
  type FakeChatRequest,
  type FakeCostModel,
  type FakeRespond,
  type ScriptedReply,
} from './fake-ollama.js';
import { afterTest, expectNoneUnexpected } from '../support/teardown.js';
import { startLoopbackServer, type FakeReply, type LoopbackServer, type RecordedRequest } from './loopback-server.js';

export interface FakeHuggingFaceOptions {
  respond?: FakeRespond;
  /** When set, requests without `Authorization: Bearer <token>` get a 401. */
  token?: string;
  cost?: FakeCostModel;
}

export interface FakeHuggingFace {
  url: string;
  /** What to pass as HF_ENDPOINT_URL: `${url}/v1`, to which @huggingface/inference appends /chat/completions. */
  endpointUrl: string;
  calls: FakeChatRequest[];
  unexpected: RecordedRequest[];
  readonly maxInFlight: number;
  enqueue(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
  server: LoopbackServer;
}

/** A loopback OpenAI-compatible chat-completions server, the shape the HF router and TGI endpoints speak. */
export async function startFakeHuggingFace(options: FakeHuggingFaceOptions = {}): Promise<FakeHuggingFace> {
  const engine = createChatEngine(options);
  const calls: FakeChatRequest[] = [];
  const unexpected: RecordedRequest[] = [];

  const server = await startLoopbackServer(async (req): Promise<FakeReply> => {
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      return { status: 401, body: { error: 'Invalid credentials in Authorization header' } };
    }
    if (req.method === 'GET' && req.path === '/v1/models') {
      return { body: { object: 'list', data: [] } };
    }
    if (req.method === 'POST' && req.path === '/v1/chat/completions') {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const responseFormat = body.response_format as { json_schema?: { schema?: unknown } } | undefined;
      const request: FakeChatRequest = {
        model: String(body.model ?? ''),
        messages: (body.messages as FakeChatRequest['messages']) ?? [],
        format: responseFormat?.json_schema?.schema,
        options: { temperature: body.temperature, max_tokens: body.max_tokens },
        body,
        receivedAt: req.receivedAt,
        clientGone: req.clientGone,
      };
      calls.push(request);
      const result = await engine.answer(request);
      if (result.kind === 'reply') return result.reply;
      return { body: completion(request.model, result.content, result.promptTokens, result.outputTokens) };
    }
    unexpected.push(req);
    return { status: 404, body: { error: `fake-huggingface does not serve ${req.method} ${req.path}` } };
  });

  afterTest({
    check: () => expectNoneUnexpected('fake Hugging Face', unexpected, (r: RecordedRequest) => `${r.method} ${r.path}`),
    close: () => fake.close(),
  });
  const fake: FakeHuggingFace = {
    url: server.url,
    endpointUrl: `${server.url}/v1`,
    calls,
    unexpected,
    get maxInFlight() {
      return engine.peak();
    },
    enqueue: engine.enqueue,
    close: async () => {
      engine.close();
      await server.close();
    },
    server,
  };
  return fake;
}

function completion(model: string, content: string, promptTokens: number, outputTokens: number) {
  return {
    id: `chatcmpl-fake-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: 'fake',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: promptTokens, completion_tokens: outputTokens, total_tokens: promptTokens + outputTokens },
  };
}
