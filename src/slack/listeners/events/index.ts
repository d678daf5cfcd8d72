import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../deps.js';
import { counted } from '../../io/delivery-metrics.js';
import { appMention } from './app-mention.js';

/** Maps Events API events to their handlers. */
export function register(app: App, deps: ListenerDeps): void {
  app.event('app_mention', counted(deps.metrics, 'mention', appMention(deps)));
}
