import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../deps.js';
import { appMention } from './app-mention.js';

/** Maps Events API events to their handlers. */
export function register(app: App, deps: ListenerDeps): void {
  app.event('app_mention', appMention(deps));
}
