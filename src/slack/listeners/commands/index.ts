import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../deps.js';
import { counted } from '../../io/delivery-metrics.js';
import { leadsCommand } from './leads-command.js';

/** The slash command the manifest declares. */
export const LEADS_COMMAND = '/leads';

/** Maps slash commands to their handlers. */
export function register(app: App, deps: ListenerDeps): void {
  app.command(LEADS_COMMAND, counted(deps.metrics, 'command', leadsCommand(deps)));
}
