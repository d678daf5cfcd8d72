import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../deps.js';
import { leadsCommand } from './leads-command.js';

/** The slash command the manifest declares. */
export const LEADS_COMMAND = '/leads';

/** Maps slash commands to their handlers. */
export function register(app: App, deps: ListenerDeps): void {
  app.command(LEADS_COMMAND, leadsCommand(deps));
}
