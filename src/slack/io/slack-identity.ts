import { webApi } from '@slack/bolt';
import { ConfigError } from '../../errors.js';
import { oneLine } from '../../domain/text.js';
import { redactUrlCredentials } from '../../domain/url-credentials.js';
import { slackErrorCode } from './poster.js';

/** Who the bot token belongs to, from auth.test at start-up: requests from anywhere else are refused. */
export interface SlackIdentity {
  teamId?: string;
  enterpriseId?: string;
  /** An org-wide (Enterprise Grid) install answers every workspace of its enterprise. */
  isEnterpriseInstall: boolean;
  botUserId?: string;
  botId?: string;
}

const BAD_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'no_permission',
]);

/** Asks Slack whose token this is, with few retries so a wrong token or an unreachable Slack is reported quickly. */
export async function fetchSlackIdentity(token: string, apiUrl: string): Promise<SlackIdentity> {
  const client = new webApi.WebClient(token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1000 },
    timeout: 10_000,
  });
  let result: Awaited<ReturnType<typeof client.auth.test>>;
  try {
    result = await client.auth.test();
  } catch (error) {
    throw startupError(error, 'SLACK_BOT_TOKEN', apiUrl);
  }
  return {
    teamId: result.team_id,
    enterpriseId: result.enterprise_id,
    isEnterpriseInstall: result.is_enterprise_install === true,
    botUserId: result.user_id,
    botId: result.bot_id,
  };
}

/** A start-up failure talking to Slack as a ConfigError naming the variable to fix and how. */
export function startupError(
  error: unknown,
  tokenVariable: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN',
  apiUrl: string,
): ConfigError {
  const code = slackErrorCode(error);
  const platform = (error as { code?: string } | undefined)?.code === webApi.ErrorCode.PlatformError;
  if (platform && BAD_TOKEN.has(code)) {
    const where =
      tokenVariable === 'SLACK_BOT_TOKEN'
        ? 'copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions, and reinstall the app if it was removed'
        : 'create an app-level token with the connections:write scope under Basic Information > App-Level Tokens (xapp-…)';
    const problem = `Slack rejected it (${code}): ${where}`;
    return new ConfigError(`Configuration error:\n  ${tokenVariable}: ${problem}`, [
      { variable: tokenVariable, problem },
    ]);
  }
  if (platform) {
    const problem = `Slack refused the request (${code}); check the app's settings at https://api.slack.com/apps`;
    return new ConfigError(`Configuration error:\n  ${tokenVariable}: ${problem}`, [
      { variable: tokenVariable, problem },
    ]);
  }
  const problem = `Slack could not be reached at ${redactUrlCredentials(apiUrl)} (${oneLine(code, 120)}); check the network or proxy, or SLACK_API_URL`;
  return new ConfigError(`Configuration error:\n  SLACK_API_URL: ${problem}`, [{ variable: 'SLACK_API_URL', problem }]);
}

/** True when a request from this workspace (or enterprise) may use the bot. */
export function isOwnWorkspace(identity: SlackIdentity, from: { teamId?: string; enterpriseId?: string }): boolean {
  if (identity.isEnterpriseInstall && identity.enterpriseId) return from.enterpriseId === identity.enterpriseId;
  if (from.teamId && identity.teamId && from.teamId !== identity.teamId) return false;
  if (from.enterpriseId && identity.enterpriseId && from.enterpriseId !== identity.enterpriseId) return false;
  return Boolean(from.teamId ?? from.enterpriseId);
}
