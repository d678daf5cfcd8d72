import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../deps.js';
import { counted } from '../../io/delivery-metrics.js';
import { appHomeOpened } from './app-home-opened.js';
import { appMention } from './app-mention.js';

/** Maps Events API events to their handlers, each delivery counted. */
export function register(app: App, deps: ListenerDeps): void {
  app.event('app_mention', counted(deps.metrics, 'mention', appMention(deps)));
  app.event('app_home_opened', counted(deps.metrics, 'home', appHomeOpened(deps)));
}
