import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterTest } from '../support/teardown.js';

/** A request as a fake saw it. */
export interface RecordedRequest {
  method: string;
  /** Path with query string, e.g. "/api/chat" or "https://duckduckgo.com/?q=x" when used as a proxy. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** Parsed JSON or form body, when it is one. */
  body: unknown;
  receivedAt: number;
  /** Aborted when the client goes away before the answer is sent (it timed out, or its process died). */
  clientGone: AbortSignal;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as given. */
  body?: unknown;
  /** Wait this long before answering (timeouts, cost models). */
  delayMs?: number;
  /** Drop the connection without answering. */
  destroy?: boolean;
}

export type Handler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface LoopbackServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Replies served before the handler, first in first out (e.g. a 429 then success). */
  enqueue(...replies: FakeReply[]): void;
  close(): Promise<void>;
  server: Server;
}

/**
 * An HTTP server on 127.0.0.1 that records every request and answers through a handler, so the real
 * client libraries run against it over the wire.
 */
export async function startLoopbackServer(handler: Handler, options: { port?: number } = {}): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const queued: FakeReply[] = [];
  const server = createServer((req, res) => {
    void serve(req, res);
  });
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const full = new URL(req.url ?? '/', req.url?.startsWith('http') ? undefined : 'http://127.0.0.1');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path: full.pathname,
      query: full.searchParams,
      headers: req.headers,
      rawBody,
      body: parseBody(rawBody, req.headers['content-type']),
      receivedAt: Date.now(),
      clientGone: gone.signal,
    };
    requests.push(recorded);
    let reply: FakeReply;
    try {
      reply = queued.shift() ?? (await handler(recorded));
    } catch (error) {
      reply = { status: 500, body: { error: `fake handler threw: ${(error as Error).message}` } };
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.destroy) {
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return;
    const isText = typeof reply.body === 'string' || Buffer.isBuffer(reply.body);
    const payload = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
    res.writeHead(reply.status ?? 200, {
      'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      ...reply.headers,
    });
    res.end(payload);
  }
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const loopback: LoopbackServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    server,
    enqueue: (...replies) => queued.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  afterTest({ close: loopback.close });
  return loopback;
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
