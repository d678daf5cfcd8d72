// Builds and signs Slack's HTTP deliveries (slash commands, events, interactions) the way Slack does.
import { createHmac } from 'node:crypto';

export interface SendOptions {
  secret: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Overrides the computed signature (forgeries); `null` leaves the header out. */
  signature?: string | null;
  headers?: Record<string, string>;
}

export interface SendResult {
  status: number;
  text: string;
  json: unknown;
  elapsedMs: number;
  receivedAt: number;
}

/** The v0 signature: HMAC-SHA256 over `v0:{timestamp}:{body}`. */
export function signBody(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export async function sendSigned(
  url: string,
  body: string,
  contentType: string,
  options: SendOptions,
): Promise<SendResult> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    ...options.headers,
  };
  const signature = options.signature === undefined ? signBody(options.secret, timestamp, body) : options.signature;
  if (signature !== null) headers['x-slack-signature'] = signature;
  const started = Date.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, elapsedMs: Date.now() - started, receivedAt: Date.now() };
}

export interface Who {
  teamId?: string;
  channelId?: string;
  userId?: string;
}

let counter = 0;

/** A /leads delivery as Slack form-encodes it. */
export function slashCommandBody(text: string, who: Who & { responseUrl: string; triggerId?: string }): string {
  counter += 1;
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: who.teamId ?? 'T0001',
    team_domain: 'fake',
    channel_id: who.channelId ?? 'C0001',
    channel_name: 'sales',
    user_id: who.userId ?? 'U0001',
    user_name: 'ana',
    command: '/leads',
    text,
    api_app_id: 'A0001',
    response_url: who.responseUrl,
    trigger_id: who.triggerId ?? `trigger.${counter}.${Date.now()}`,
  }).toString();
}

/** An app_mention event_callback as Slack sends it (JSON). */
export function mentionEventBody(
  text: string,
  who: Who & { eventId?: string; ts?: string; threadTs?: string; botId?: string },
): string {
  counter += 1;
  const ts = who.ts ?? `1700000100.${String(counter).padStart(6, '0')}`;
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: who.teamId ?? 'T0001',
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: who.eventId ?? `Ev${counter}`,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'app_mention',
      user: who.userId ?? 'U0001',
      ...(who.botId ? { bot_id: who.botId, app_id: 'A0BOTS' } : {}),
      text,
      ts,
      ...(who.threadTs ? { thread_ts: who.threadTs } : {}),
      channel: who.channelId ?? 'C0001',
      event_ts: ts,
      team: who.teamId ?? 'T0001',
    },
    authorizations: [{ team_id: who.teamId ?? 'T0001', user_id: 'UBOT', is_bot: true }],
  });
}

/** A button click (block_actions) as Slack form-encodes it. */
export function buttonBody(
  actionId: string,
  value: string,
  who: Who & { responseUrl: string; triggerId?: string },
): string {
  counter += 1;
  const payload = {
    type: 'block_actions',
    team: { id: who.teamId ?? 'T0001', domain: 'fake' },
    user: { id: who.userId ?? 'U0001', username: 'ana', team_id: who.teamId ?? 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    container: { type: 'message_attachment', message_ts: '1700000000.000003', channel_id: who.channelId ?? 'C0001' },
    trigger_id: who.triggerId ?? `trigger.btn.${counter}`,
    channel: { id: who.channelId ?? 'C0001', name: 'sales' },
    response_url: who.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'leads_actions',
        value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A modal submission (view_submission) with the note typed into the re-score form. */
export function viewSubmissionBody(
  callbackId: string,
  privateMetadata: string,
  note: string,
  who: Who & { viewId?: string },
): string {
  counter += 1;
  const payload = {
    type: 'view_submission',
    team: { id: who.teamId ?? 'T0001', domain: 'fake' },
    user: { id: who.userId ?? 'U0001', username: 'ana', team_id: who.teamId ?? 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    trigger_id: `trigger.view.${counter}`,
    view: {
      id: who.viewId ?? `V${counter}`,
      hash: `h${counter}`,
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      team_id: who.teamId ?? 'T0001',
      app_id: 'A0001',
      state: { values: { rescore_note: { note: { type: 'plain_text_input', value: note } } } },
      blocks: [],
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A choice in a lead's "…" menu (block_actions with an overflow), in a message as Slack form-encodes it. */
export function overflowBody(
  actionId: string,
  blockId: string,
  value: string,
  who: Who & { responseUrl: string },
): string {
  counter += 1;
  const payload = {
    type: 'block_actions',
    team: { id: who.teamId ?? 'T0001', domain: 'fake' },
    user: { id: who.userId ?? 'U0001', username: 'ana', team_id: who.teamId ?? 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    container: {
      type: 'message_attachment',
      message_ts: '1700000000.000003',
      channel_id: who.channelId ?? 'C0001',
      is_ephemeral: false,
    },
    trigger_id: `trigger.menu.${counter}`,
    channel: { id: who.channelId ?? 'C0001', name: 'sales' },
    response_url: who.responseUrl,
    actions: [
      {
        type: 'overflow',
        action_id: actionId,
        block_id: blockId,
        selected_option: { text: { type: 'plain_text', text: 'x' }, value },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A button clicked on the app's Home tab: no channel, the home view as container. */
export function homeButtonBody(actionId: string, value: string, who: Who): string {
  counter += 1;
  const payload = {
    type: 'block_actions',
    team: { id: who.teamId ?? 'T0001', domain: 'fake' },
    user: { id: who.userId ?? 'U0001', username: 'ana', team_id: who.teamId ?? 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: 'VHOME' },
    trigger_id: `trigger.home.${counter}`,
    view: {
      id: 'VHOME',
      type: 'home',
      team_id: who.teamId ?? 'T0001',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      hash: `h${counter}`,
    },
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'home',
        value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Someone opened the app's Home (or Messages) tab: app_home_opened as Slack sends it (JSON). */
export function appHomeOpenedBody(who: Who & { tab?: 'home' | 'messages'; eventId?: string }): string {
  counter += 1;
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: who.teamId ?? 'T0001',
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: who.eventId ?? `EvHome${counter}`,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'app_home_opened',
      user: who.userId ?? 'U0001',
      channel: 'D0001',
      tab: who.tab ?? 'home',
      event_ts: `${Date.now() / 1000}`,
    },
    authorizations: [{ team_id: who.teamId ?? 'T0001', user_id: 'UBOT', is_bot: true }],
  });
}

/** A modal submission with any input values ({block_id: {action_id: value}}). */
export function viewValuesBody(
  callbackId: string,
  privateMetadata: string,
  values: Record<string, Record<string, string>>,
  who: Who,
): string {
  counter += 1;
  const state = Object.fromEntries(
    Object.entries(values).map(([block, actions]) => [
      block,
      Object.fromEntries(
        Object.entries(actions).map(([action, value]) => [action, { type: 'plain_text_input', value }]),
      ),
    ]),
  );
  const payload = {
    type: 'view_submission',
    team: { id: who.teamId ?? 'T0001', domain: 'fake' },
    user: { id: who.userId ?? 'U0001', username: 'ana', team_id: who.teamId ?? 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    trigger_id: `trigger.view.${counter}`,
    view: {
      id: `V${counter}`,
      hash: `h${counter}`,
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      team_id: who.teamId ?? 'T0001',
      app_id: 'A0001',
      state: { values: state },
      blocks: [],
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
