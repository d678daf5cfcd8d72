// A loopback fake of the Slack Web API at the HTTP layer: the real WebClient's encoding, retries and
// error envelopes run against it. Every call is recorded; a method it does not know fails the test.
import { afterTest } from '../support/teardown.js';
import { startLoopbackServer, type FakeReply, type LoopbackServer, type RecordedRequest } from './loopback-server.js';

export interface SlackCall {
  method: string;
  /** Form or JSON body with blocks, attachments, view and files parsed from their JSON strings. */
  args: Record<string, unknown>;
  token?: string;
  at: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks: unknown[];
  attachments: unknown[];
  /** How many chat.update calls changed it. */
  updates: number;
  history: { text: string; blocks: unknown[]; attachments: unknown[]; at: number }[];
}

export interface FakeUpload {
  fileId: string;
  filename: string;
  length: number;
  content?: string;
  channelId?: string;
  threadTs?: string;
  title?: string;
}

/** The fake's handle: recorded calls and messages, queued faults, assertions. */
export interface FakeSlack {
  url: string;
  /** What SLACK_API_URL / slackApiUrl should be. */
  apiUrl: string;
  calls: SlackCall[];
  messages: FakeMessage[];
  uploads: FakeUpload[];
  /** Requests to response_url (slash command and action follow-ups). */
  responses: { path: string; body: Record<string, unknown> }[];
  /** The latest Home tab published for each user (views.publish). */
  homes: Map<string, { blocks: unknown[] }>;
  callsTo(method: string): SlackCall[];
  /** Answers the next call to `method` with this instead of the normal reply (e.g. 429 then normal). */
  queue(method: string, ...replies: FakeReply[]): void;
  rateLimit(method: string, retryAfterSeconds: number): void;
  failWith(method: string, error: string): void;
  /** The bot is not a member of this channel: uploads and ephemeral messages there fail with not_in_channel
   * until conversations.join (public channels, ids starting with C) makes it one. */
  notMemberOf(channel: string): void;
  /** The URL apps.connections.open hands out (Socket Mode tests). */
  setSocketUrl(url: string): void;
  unexpected: string[];
  assertNoUnexpectedCalls(): void;
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  server: LoopbackServer;
  close(): Promise<void>;
}

const JSON_FIELDS = ['blocks', 'attachments', 'view', 'files', 'metadata'];

/** Starts the fake on 127.0.0.1; point SLACK_API_URL at `apiUrl`. */
export async function startFakeSlack(options: { teamId?: string; botUserId?: string } = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? 'T0001';
  const calls: SlackCall[] = [];
  const messages: FakeMessage[] = [];
  const uploads: FakeUpload[] = [];
  const responses: FakeSlack['responses'] = [];
  const homes: FakeSlack['homes'] = new Map();
  const unexpected: string[] = [];
  const queued = new Map<string, FakeReply[]>();
  let socketUrl = 'ws://127.0.0.1:9/';
  const outside = new Set<string>();
  let tsCounter = 0;
  let fileCounter = 0;
  let baseUrl = '';
  const nextTs = () => `1700000000.${String(++tsCounter).padStart(6, '0')}`;

  const methods: Record<string, (args: Record<string, unknown>) => FakeReply> = {
    'auth.test': () =>
      ok({
        url: 'https://fake.slack.com/',
        team: 'Fake',
        user: 'leads',
        team_id: teamId,
        user_id: options.botUserId ?? 'UBOT',
        bot_id: 'BBOT',
      }),
    'apps.connections.open': () => ok({ url: socketUrl }),
    'chat.postMessage': (args) => {
      const ts = nextTs();
      const message: FakeMessage = {
        channel: String(args.channel),
        ts,
        thread_ts: args.thread_ts ? String(args.thread_ts) : undefined,
        text: String(args.text ?? ''),
        blocks: (args.blocks as unknown[]) ?? [],
        attachments: (args.attachments as unknown[]) ?? [],
        updates: 0,
        history: [],
      };
      message.history.push({
        text: message.text,
        blocks: message.blocks,
        attachments: message.attachments,
        at: Date.now(),
      });
      messages.push(message);
      return ok({ channel: args.channel, ts, message: { text: args.text, ts } });
    },
    'chat.update': (args) => {
      const message = messages.find((m) => m.channel === args.channel && m.ts === args.ts);
      if (!message) return ok({}, 'message_not_found');
      message.text = String(args.text ?? '');
      message.blocks = (args.blocks as unknown[]) ?? [];
      message.attachments = (args.attachments as unknown[]) ?? [];
      message.updates += 1;
      message.history.push({
        text: message.text,
        blocks: message.blocks,
        attachments: message.attachments,
        at: Date.now(),
      });
      return ok({ channel: args.channel, ts: args.ts });
    },
    'chat.postEphemeral': (args) =>
      outside.has(String(args.channel)) ? ok({}, 'not_in_channel') : ok({ message_ts: nextTs() }),
    'conversations.join': (args) => {
      const channel = String(args.channel);
      if (!channel.startsWith('C')) return ok({}, 'method_not_supported_for_channel_type');
      outside.delete(channel);
      return ok({ channel: { id: channel, is_member: true } });
    },
    'chat.getPermalink': (args) =>
      ok({
        channel: args.channel,
        permalink: `https://fake.slack.com/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}`,
      }),
    'views.open': (args) => ok({ view: { id: `V${++fileCounter}`, ...(args.view as object) } }),
    'views.publish': (args) => {
      const view = args.view as { type?: string; blocks?: unknown[] } | undefined;
      if (typeof args.user_id !== 'string' || view?.type !== 'home') return ok({}, 'invalid_arguments');
      homes.set(args.user_id, { blocks: view.blocks ?? [] });
      return ok({ view: { id: 'VHOME', ...view } });
    },
    'files.getUploadURLExternal': (args) => {
      const fileId = `F${String(++fileCounter).padStart(4, '0')}`;
      uploads.push({ fileId, filename: String(args.filename), length: Number(args.length) });
      return ok({ upload_url: `${baseUrl}/upload/${fileId}`, file_id: fileId });
    },
    'files.completeUploadExternal': (args) => {
      if (outside.has(String(args.channel_id))) return ok({}, 'not_in_channel');
      const files = (args.files as { id: string; title?: string }[]) ?? [];
      for (const file of files) {
        const upload = uploads.find((u) => u.fileId === file.id);
        if (!upload) return ok({}, 'file_not_found');
        Object.assign(upload, {
          channelId: args.channel_id as string | undefined,
          threadTs: args.thread_ts as string | undefined,
          title: file.title,
        });
      }
      return ok({ files: files.map((f) => ({ id: f.id, title: f.title })) });
    },
  };

  function handle(request: RecordedRequest): FakeReply {
    if (request.path.startsWith('/upload/')) {
      const upload = uploads.find((u) => u.fileId === request.path.slice('/upload/'.length));
      if (!upload) return { status: 404, body: 'no such upload' };
      upload.content = fileFromMultipart(request);
      return { status: 200, body: `OK - ${upload.content.length}` };
    }
    if (request.path.startsWith('/response/')) {
      responses.push({ path: request.path, body: (request.body ?? {}) as Record<string, unknown> });
      return { status: 200, body: 'ok' };
    }
    const method = request.path.replace(/^\/api\//, '');
    const args = parseArgs(request.body);
    const auth = request.headers.authorization;
    calls.push({
      method,
      args,
      token: typeof auth === 'string' ? auth.replace(/^Bearer /, '') : undefined,
      at: Date.now(),
    });
    const next = queued.get(method)?.shift();
    if (next) return next;
    const handler = methods[method];
    if (!handler) {
      unexpected.push(method);
      return ok({}, 'unknown_method');
    }
    return handler(args);
  }

  const server = await startLoopbackServer(handle);
  baseUrl = server.url;
  const fake: FakeSlack = {
    url: server.url,
    apiUrl: `${server.url}/api/`,
    calls,
    messages,
    uploads,
    responses,
    homes,
    unexpected,
    server,
    callsTo: (method) => calls.filter((c) => c.method === method),
    queue(method, ...replies) {
      queued.set(method, [...(queued.get(method) ?? []), ...replies]);
    },
    rateLimit(method, retryAfterSeconds) {
      fake.queue(method, {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        body: { ok: false, error: 'ratelimited' },
      });
    },
    failWith(method, error) {
      fake.queue(method, ok({}, error));
    },
    notMemberOf(channel) {
      outside.add(channel);
    },
    setSocketUrl(url) {
      socketUrl = url;
    },
    assertNoUnexpectedCalls() {
      if (unexpected.length > 0) throw new Error(`fake Slack got unexpected method(s): ${unexpected.join(', ')}`);
    },
    async waitFor(predicate, timeoutMs = 10_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; calls so far: ${calls.map((c) => c.method).join(', ')}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => server.close(),
  };
  afterTest({ check: () => fake.assertNoUnexpectedCalls(), close: fake.close });
  return fake;
}

function ok(body: Record<string, unknown>, error?: string): FakeReply {
  return { status: 200, body: error ? { ok: false, error } : { ok: true, ...body } };
}

function parseArgs(body: unknown): Record<string, unknown> {
  const args: Record<string, unknown> =
    body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
  for (const field of JSON_FIELDS) {
    const value = args[field];
    if (typeof value === 'string') {
      try {
        args[field] = JSON.parse(value);
      } catch {
        // Left as sent: a test can assert on the raw string.
      }
    }
  }
  return args;
}

/** The file bytes of a multipart/form-data upload (or the raw body when it is not multipart). */
function fileFromMultipart(request: RecordedRequest): string {
  const type = String(request.headers['content-type'] ?? '');
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (!boundary) return request.rawBody;
  const marker = `--${boundary[1] ?? boundary[2]}`;
  const part = request.rawBody.split(marker).find((p) => /filename=|name="/.test(p)) ?? '';
  const start = part.indexOf('\r\n\r\n');
  return start < 0 ? '' : part.slice(start + 4).replace(/\r\n$/, '');
}
