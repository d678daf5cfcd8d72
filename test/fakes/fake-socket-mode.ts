// A loopback Socket Mode server: greets the app with `hello`, sends envelopes, and records the acks.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterTest } from '../support/teardown.js';

export interface EnvelopeAck {
  envelope_id: string;
  payload?: unknown;
  receivedAt: number;
}

export interface FakeSocketMode {
  url: string;
  acks: EnvelopeAck[];
  /** Resolves once an app has connected and been sent `hello`. */
  connected(): Promise<void>;
  /** Sends an envelope (slash_commands, events_api, interactive) and returns its id and send time. */
  send(
    type: 'slash_commands' | 'events_api' | 'interactive',
    payload: unknown,
    extra?: Record<string, unknown>,
  ): { envelopeId: string; sentAt: number };
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<EnvelopeAck>;
  close(): Promise<void>;
}

/** Starts a WebSocket server on 127.0.0.1; hand `url` out from the fake apps.connections.open. */
export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const acks: EnvelopeAck[] = [];
  let socket: WebSocket | undefined;
  let markConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => {
    markConnected = resolve;
  });
  server.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (message.envelope_id)
        acks.push({ envelope_id: message.envelope_id, payload: message.payload, receivedAt: Date.now() });
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake', approximate_connection_time: 3600 },
        connection_info: { app_id: 'A0001' },
      }),
    );
    markConnected();
  });
  const port = (server.address() as AddressInfo).port;
  const fake: FakeSocketMode = {
    url: `ws://127.0.0.1:${port}/link`,
    acks,
    connected: () => connected,
    send(type, payload, extra = {}) {
      if (!socket) throw new Error('no Socket Mode client is connected');
      const envelopeId = randomUUID();
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: 0,
          retry_reason: '',
          ...extra,
        }),
      );
      return { envelopeId, sentAt: Date.now() };
    },
    async waitForAck(envelopeId, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ack = acks.find((a) => a.envelope_id === envelopeId);
        if (ack) return ack;
        if (Date.now() > deadline) throw new Error(`no ack for envelope ${envelopeId}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
  afterTest({ close: fake.close });
  return fake;
}
