import { setTimeout as sleep } from 'node:timers/promises';
import { afterTest, expectNoneUnexpected } from '../support/teardown.js';
import { startLoopbackServer, type FakeReply, type LoopbackServer, type RecordedRequest } from './loopback-server.js';

/** A chat request as a fake LLM received it (Ollama fields, plus response_format for the OpenAI-style fake). */
export interface FakeChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  /** Ollama's `format`, or the schema inside an OpenAI-style `response_format`. */
  format: unknown;
  options: Record<string, unknown>;
  body: Record<string, unknown>;
  receivedAt: number;
  /** Aborted when the client hangs up before the answer (its timeout, its process killed). */
  clientGone?: AbortSignal;
}

/** Objects are JSON-stringified into the message content. */
export type FakeRespond = (request: FakeChatRequest) => string | object | Promise<string | object>;

/** One scripted answer, served before `respond` (first in, first out). */
export type ScriptedReply =
  | { content: string | object; delayMs?: number }
  | { status: number; error: string; delayMs?: number }
  | { drop: true; delayMs?: number }
  | { delayMs: number };

/** The cost model (docs/architecture.md#the-cost-model): latency = baseMs + perPromptTokenMs × prompt tokens + perOutputTokenMs × output tokens, `slots` at a time. */
export interface FakeCostModel {
  baseMs: number;
  perPromptTokenMs: number;
  perOutputTokenMs: number;
  slots: number;
}

export interface FakeOllamaOptions {
  respond?: FakeRespond;
  /** Pulled models listed by /api/tags; a chat for any other model gets Ollama's 404. Default ['llama3.1:8b']. */
  models?: string[];
  cost?: FakeCostModel;
  /** Behind a reverse proxy: requests without exactly this Authorization header get the proxy's 401 page. */
  requireAuthorization?: string;
}

export interface FakeOllama {
  /** Base URL to use as OLLAMA_HOST. */
  url: string;
  calls: FakeChatRequest[];
  /** Requests to paths the fake does not serve; a test should expect this to stay empty. */
  unexpected: RecordedRequest[];
  /** Peak number of chat calls served at the same time (never above the cost model's slots). */
  readonly maxInFlight: number;
  /** Peak number of chat calls open at the same time, served or waiting for a slot: what clients sent at once. */
  readonly maxOpen: number;
  inFlight(): number;
  enqueue(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
  server: LoopbackServer;
}

/** The token estimate the fakes and the cost model use: characters / 4, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Serves scripted replies, then `respond`, through an optional slot limit and cost model; shared by both LLM fakes. */
export function createChatEngine(options: { respond?: FakeRespond; cost?: FakeCostModel }) {
  const scripted: ScriptedReply[] = [];
  const waiting: (() => void)[] = [];
  const closing = new AbortController();
  const slots = options.cost?.slots ?? Number.POSITIVE_INFINITY;
  let busy = 0;
  let peak = 0;
  let open = 0;
  let peakOpen = 0;

  async function acquire(): Promise<void> {
    if (busy < slots) {
      busy += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else busy -= 1;
  }

  type Answer =
    | { kind: 'content'; content: string; promptTokens: number; outputTokens: number }
    | { kind: 'reply'; reply: FakeReply };
  async function answer(request: FakeChatRequest): Promise<Answer> {
    // A call is open until it is answered or its client hangs up (like Ollama, which stops generating then).
    open += 1;
    peakOpen = Math.max(peakOpen, open);
    let counted = true;
    const leave = () => {
      if (counted) open -= 1;
      counted = false;
    };
    request.clientGone?.addEventListener('abort', leave, { once: true });
    try {
      return await served(request);
    } finally {
      leave();
    }
  }

  async function served(request: FakeChatRequest): Promise<Answer> {
    await acquire();
    const current = busy;
    peak = Math.max(peak, current);
    const stop = request.clientGone ? AbortSignal.any([closing.signal, request.clientGone]) : closing.signal;
    try {
      const step = scripted.shift();
      if (step?.delayMs) await sleep(step.delayMs, undefined, { signal: stop });
      if (step && 'drop' in step) return { kind: 'reply', reply: { destroy: true } };
      if (step && 'status' in step)
        return { kind: 'reply', reply: { status: step.status, body: { error: step.error } } };
      if (!step && !options.respond) throw new Error('no scripted reply and no respond() for this call');
      const raw = step && 'content' in step ? step.content : await (options.respond as FakeRespond)(request);
      const content = typeof raw === 'string' ? raw : JSON.stringify(raw);
      const promptTokens = estimateTokens(request.messages.map((m) => m.content).join(''));
      const outputTokens = estimateTokens(content);
      const cost = options.cost;
      if (cost) {
        const ms = cost.baseMs + cost.perPromptTokenMs * promptTokens + cost.perOutputTokenMs * outputTokens;
        await sleep(ms, undefined, { signal: stop });
      }
      return { kind: 'content', content, promptTokens, outputTokens };
    } finally {
      release();
    }
  }

  return {
    answer,
    enqueue: (...replies: ScriptedReply[]) => scripted.push(...replies),
    inFlight: () => busy,
    peak: () => peak,
    peakOpen: () => peakOpen,
    close: () => closing.abort(),
  };
}

/** A loopback Ollama speaking /api/chat (non-streaming) and /api/tags, for the real `ollama` client. */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const models = options.models ?? ['llama3.1:8b'];
  const engine = createChatEngine(options);
  const calls: FakeChatRequest[] = [];
  const unexpected: RecordedRequest[] = [];

  const server = await startLoopbackServer(async (req): Promise<FakeReply> => {
    if (options.requireAuthorization && req.headers.authorization !== options.requireAuthorization) {
      return {
        status: 401,
        headers: { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="ollama"' },
        body: '<html>\n<head><title>401 Authorization Required</title></head>\n<body><center><h1>401 Authorization Required</h1></center><hr><center>nginx</center></body>\n</html>\n',
      };
    }
    if (req.method === 'GET' && req.path === '/api/tags') {
      return { body: { models: models.map(modelEntry) } };
    }
    if (req.method === 'POST' && req.path === '/api/chat') {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const request: FakeChatRequest = {
        model: String(body.model ?? ''),
        messages: (body.messages as FakeChatRequest['messages']) ?? [],
        format: body.format,
        options: (body.options as Record<string, unknown>) ?? {},
        body,
        receivedAt: req.receivedAt,
        clientGone: req.clientGone,
      };
      calls.push(request);
      if (!models.includes(request.model)) {
        return { status: 404, body: { error: `model "${request.model}" not found, try pulling it first` } };
      }
      const result = await engine.answer(request);
      if (result.kind === 'reply') return result.reply;
      return { body: chatResponse(request.model, result.content, result.promptTokens, result.outputTokens) };
    }
    unexpected.push(req);
    return { status: 404, body: { error: `fake-ollama does not serve ${req.method} ${req.path}` } };
  });

  afterTest({
    check: () => expectNoneUnexpected('fake Ollama', unexpected, (r: RecordedRequest) => `${r.method} ${r.path}`),
    close: () => fake.close(),
  });
  const fake: FakeOllama = {
    url: server.url,
    calls,
    unexpected,
    get maxInFlight() {
      return engine.peak();
    },
    get maxOpen() {
      return engine.peakOpen();
    },
    inFlight: engine.inFlight,
    enqueue: engine.enqueue,
    close: async () => {
      engine.close();
      await server.close();
    },
    server,
  };
  return fake;
}

function chatResponse(model: string, content: string, promptTokens: number, outputTokens: number) {
  return {
    model,
    created_at: new Date().toISOString(),
    message: { role: 'assistant', content },
    done: true,
    done_reason: 'stop',
    total_duration: 1_000_000,
    load_duration: 100_000,
    prompt_eval_count: promptTokens,
    prompt_eval_duration: 400_000,
    eval_count: outputTokens,
    eval_duration: 500_000,
  };
}

function modelEntry(name: string) {
  return {
    name,
    model: name,
    modified_at: new Date(0).toISOString(),
    size: 4_920_753_328,
    digest: 'fake0000000000000000000000000000000000000000000000000000000000000',
    details: {
      parent_model: '',
      format: 'gguf',
      family: 'llama',
      families: ['llama'],
      parameter_size: '8.0B',
      quantization_level: 'Q4_K_M',
    },
  };
}
